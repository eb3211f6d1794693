package io.flagman.config.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.model.AclTest;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Balance;
import io.flagman.config.model.BindAddress;
import io.flagman.config.model.Condition;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.Match;
import io.flagman.config.model.Mode;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.model.SendProxy;
import io.flagman.config.model.Server;
import io.flagman.config.model.Timeout;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    static ParseResult parse(String text) {
        return ConfigParser.parse(ConfigDocument.parse("t.cfg", text, name -> null));
    }

    static Config ok(String text) {
        ParseResult r = parse(text);
        assertThat(r.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
        return r.config();
    }

    static List<String> problems(String text) {
        return parse(text).diagnostics().stream().map(Diagnostic::format).toList();
    }

    static Backend backend(String body) {
        return ok("backend b\n" + body).backend("b").orElseThrow();
    }

    static Frontend frontend(String body) {
        return ok("frontend f\n  bind :80\n" + body).frontend("f").orElseThrow();
    }

    // ---- sections, defaults, version ----

    @Test
    void versionStampAtTop() {
        assertThat(ok("# _version=42\nglobal\n  maxconn 10\n").version()).isEqualTo(42);
        assertThat(ok("global\n# _version=42\n").version()).isZero();
    }

    @Test
    void defaultsResolveFromTheLastSectionAboveOrFrom() {
        Config c = ok("""
                defaults base
                  mode http
                  timeout client 5s
                  option httplog
                defaults
                  timeout server 7s
                frontend a from base
                  bind :80
                frontend b
                  bind :81
                  no option httplog
                backend c
                  timeout server 1m
                """);
        Frontend a = c.frontend("a").orElseThrow();
        assertThat(a.mode()).isEqualTo(Mode.HTTP);
        assertThat(a.timeouts().get(Timeout.CLIENT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.has(ProxyOption.HTTPLOG)).isTrue();
        Frontend b = c.frontend("b").orElseThrow();
        assertThat(b.mode()).isEqualTo(Mode.TCP);
        assertThat(b.timeouts().get(Timeout.SERVER)).isEqualTo(Duration.ofSeconds(7));
        assertThat(b.has(ProxyOption.HTTPLOG)).isFalse();
        assertThat(c.backend("c").orElseThrow().timeouts().get(Timeout.SERVER)).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.defaults()).extracting(d -> d.name()).containsExactly("base", null);
    }

    @Test
    void listenIsBothAFrontendAndABackend() {
        Config c = ok("listen web\n  mode http\n  bind :80\n  balance leastconn\n  server s 10.0.0.1:80\n"
                + "  http-request deny if { path_beg /admin }\n");
        Frontend f = c.frontend("web").orElseThrow();
        Backend b = c.backend("web").orElseThrow();
        assertThat(f.listen()).isTrue();
        assertThat(f.defaultBackend()).isEqualTo("web");
        assertThat(b.listen()).isTrue();
        assertThat(b.balance().algorithm()).isEqualTo(Balance.Algorithm.LEASTCONN);
        // The rules run once per request: they live on the frontend half only.
        assertThat(f.httpRequestRules()).hasSize(1);
        assertThat(b.httpRequestRules()).isEmpty();
    }

    @Test
    void logGlobalExpandsToTheGlobalTargets() {
        Config c = ok("global\n  log stdout format raw daemon\ndefaults\n  log global\nfrontend f\n  bind :80\n"
                + "  log 127.0.0.1:514 local0 info\n");
        assertThat(c.frontend("f").orElseThrow().logs()).extracting(t -> t.address())
                .containsExactly("stdout", "127.0.0.1:514");
    }

    @Test
    void unsupportedSectionIsAnError() {
        assertThat(problems("peers p\n  peer a 1.2.3.4:1000\n"))
                .containsExactly("t.cfg:1:1: error: 'peers' sections are not supported yet; Flagman implements"
                        + " global, defaults, frontend, backend, listen, userlist sections; remove this section");
    }

    @Test
    void directiveOutsideASection() {
        assertThat(problems("maxconn 10\n")).containsExactly(
                "t.cfg:1:1: error: 'maxconn' outside any section; start a section first: global, defaults,"
                        + " frontend, backend, listen, userlist");
    }

    @Test
    void fromMissingDefaults() {
        assertThat(problems("frontend f from nope\n  bind :80\n"))
                .containsExactly("t.cfg:1: error: defaults section 'nope' not found; a 'from' names a defaults"
                        + " section defined above it");
    }

    // ---- keyword diagnostics ----

    @Test
    void unknownKeywordGetsDidYouMean() {
        assertThat(problems("frontend f\n  bind :80\n  defualt_backend b\n")).containsExactly(
                "t.cfg:3:3: error: unknown keyword 'defualt_backend' in a frontend; did you mean 'default_backend'?");
    }

    @Test
    void keywordInTheWrongSection() {
        assertThat(problems("frontend f\n  server s 1.2.3.4:80\n")).containsExactly(
                "t.cfg:2:3: error: 'server' is not allowed in a frontend; it belongs in a backend");
        assertThat(problems("frontend f\n  balance roundrobin\n")).containsExactly(
                "t.cfg:2:3: warning: 'balance' is ignored in a frontend (it has no backend capability); move it to"
                        + " a backend");
    }

    @Test
    void allProblemsInOneRun() {
        assertThat(problems("frontend f\n  bind :99999\n  mode htp\nbackend b\n  balance fastest\n")).hasSize(3);
    }

    @Test
    void unsupportedKeywordsAreErrorsAndNoOpsAreWarnings() {
        List<String> p = problems("global\n  daemon\n  lua-load x.lua\nbackend b\n  stick-table type ip size 1m\n");
        assertThat(p).containsExactly(
                "t.cfg:2:3: warning: 'daemon' has no effect in Flagman; Flagman runs in the foreground; use your"
                        + " service manager to daemonize",
                "t.cfg:3:3: error: 'lua-load' is not supported yet; Flagman does not implement it and will not"
                        + " silently ignore it; remove it or see docs/configuration.md",
                "t.cfg:5:3: error: 'stick-table' is not supported yet; Flagman does not implement it and will not"
                        + " silently ignore it; remove it or see docs/configuration.md");
        assertThat(parse("global\n  daemon\n").ok()).isTrue();
    }

    @Test
    void legacyTimeoutNamesItsReplacement() {
        assertThat(problems("defaults\n  contimeout 5s\n")).containsExactly(
                "t.cfg:2:3: error: 'contimeout' was removed from HAProxy; use 'timeout connect <duration>' instead");
    }

    // ---- values ----

    @Test
    void durations() {
        assertThat(Values.duration("10")).isEqualTo(Duration.ofMillis(10));
        assertThat(Values.duration("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(Values.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Values.duration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Values.duration("1x")).isNull();
        assertThat(Values.formatDuration(Duration.ofMillis(20000))).isEqualTo("20s");
        assertThat(Values.formatDuration(Duration.ofMillis(60000))).isEqualTo("1m");
        assertThat(Values.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(problems("defaults\n  timeout client 5x\n")).containsExactly(
                "t.cfg:2:18: error: 'timeout': invalid duration '5x'; expected a number with an optional unit: us,"
                        + " ms, s, m, h, d (no unit = ms), e.g. 5s");
    }

    @Test
    void sizes() {
        assertThat(Values.size("16k")).isEqualTo(16384);
        assertThat(Values.size("1m")).isEqualTo(1 << 20);
        assertThat(Values.size("x")).isEqualTo(-1);
    }

    @Test
    void bindAddressForms() {
        Frontend f = frontend("""
                  bind *:8080
                  bind 127.0.0.1:81,[::1]:82
                  bind ipv6@:::83 v6only
                  bind unix@/run/f.sock
                  bind :8000-8010
                  bind ::1:84
                """);
        assertThat(f.binds()).extracting(b -> b.address().family() + " " + b.address().host() + " "
                + b.address().port() + "-" + b.address().portEnd()).containsExactly(
                        "ANY null 80-80", "ANY null 8080-8080", "IPV4 127.0.0.1 81-81", "IPV6 ::1 82-82",
                        "IPV6 :: 83-83", "UNIX null 0-0", "ANY null 8000-8010", "IPV6 ::1 84-84");
        assertThat(f.binds().get(5).address().path()).isEqualTo("/run/f.sock");
        assertThat(f.binds().get(4).v6only()).isTrue();
        assertThat(problems("frontend f\n  bind 1.2.3.4:0\n")).hasSize(1);
        assertThat(problems("frontend f\n  bind abns@x:1\n").getFirst()).contains("'abns@' is not supported yet");
    }

    @Test
    void bindOptions() {
        Frontend f = frontend("  bind :443 name tls ssl crt /a.pem crt /b.pem alpn h2,http/1.1 maxconn 10"
                + " backlog 5 accept-proxy v4v6\n");
        var b = f.binds().get(1);
        assertThat(b.name()).isEqualTo("tls");
        assertThat(b.certificates()).containsExactly("/a.pem", "/b.pem");
        assertThat(b.alpn()).isEqualTo("h2,http/1.1");
        assertThat(b.maxconn()).isEqualTo(10);
        assertThat(b.backlog()).isEqualTo(5);
        assertThat(b.acceptProxy() && b.ssl() && b.v4v6()).isTrue();
        assertThat(problems("frontend f\n  bind :80 accept-proxi\n")).containsExactly(
                "t.cfg:2:12: error: unknown bind option 'accept-proxi'; did you mean 'accept-proxy'?");
    }

    // ---- balance ----

    @Test
    void balanceAlgorithms() {
        assertThat(backend("  balance hdr(host)\n").balance()).isEqualTo(new Balance(Balance.Algorithm.HDR, "host"));
        assertThat(backend("  balance url_param uid\n").balance())
                .isEqualTo(new Balance(Balance.Algorithm.URL_PARAM, "uid"));
        assertThat(backend("  balance random(2)\n").balance()).isEqualTo(new Balance(Balance.Algorithm.RANDOM, "2"));
        assertThat(backend("  balance random\n").balance()).isEqualTo(new Balance(Balance.Algorithm.RANDOM, null));
        assertThat(backend("  balance static-rr\n").balance().algorithm()).isEqualTo(Balance.Algorithm.STATIC_RR);
        assertThat(backend("").balance()).isEqualTo(Balance.ROUND_ROBIN);
        assertThat(problems("backend b\n  balance roundrobbin\n")).containsExactly(
                "t.cfg:2:11: error: unknown balance algorithm 'roundrobbin'; did you mean 'roundrobin'? valid"
                        + " algorithms: roundrobin, static-rr, leastconn, first, source, uri, url_param, hdr, random");
    }

    // ---- servers ----

    @Test
    void serverOptionsAndDefaultServer() {
        Config c = ok("""
                defaults
                  default-server inter 5s rise 3
                backend b
                  default-server check
                  server a 10.0.0.1:80 weight 10 backup maxconn 50 fall 5 send-proxy-v2 ssl verify none sni str(x)
                  server b [fd00::4]:8080 disabled inter 1s
                  server c app.local
                """);
        List<Server> s = c.backend("b").orElseThrow().servers();
        Server a = s.get(0);
        assertThat(a.weight()).isEqualTo(10);
        assertThat(a.backup() && a.check() && a.ssl()).isTrue();
        assertThat(a.maxconn()).isEqualTo(50);
        assertThat(a.inter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.rise()).isEqualTo(3);
        assertThat(a.fall()).isEqualTo(5);
        assertThat(a.sendProxy()).isEqualTo(SendProxy.V2);
        assertThat(a.verify()).isEqualTo("none");
        assertThat(a.sni()).isEqualTo("str(x)");
        assertThat(s.get(1).host()).isEqualTo("fd00::4");
        assertThat(s.get(1).port()).isEqualTo(8080);
        assertThat(s.get(1).disabled()).isTrue();
        assertThat(s.get(1).inter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.get(2).port()).isZero();
        assertThat(c.defaults().getFirst().defaultServer().rise()).isEqualTo(3);
    }

    @Test
    void serverProblems() {
        assertThat(problems("backend b\n  server a 1.2.3.4:80 chekc\n")).containsExactly(
                "t.cfg:2:23: error: unknown server option 'chekc'; did you mean 'check'?");
        assertThat(problems("backend b\n  server a 1.2.3.4:80 cookie x\n").getFirst())
                .startsWith("t.cfg:2:23: error: server option 'cookie' is not supported yet");
        assertThat(problems("backend b\n  server a 1.2.3.4:80 weight 300\n")).containsExactly(
                "t.cfg:2:30: error: 'server': invalid weight '300'; expected an integer from 0 to 256");
    }

    // ---- acls and conditions ----

    @Test
    void aclSuffixFormsAreNormalised() {
        Frontend f = frontend("""
                  acl a hdr_beg(host) -i www.
                  acl b path_end .jpg .png
                  acl c src 10.0.0.0/8 ::1
                  acl d dst_port 80 1024:65535
                  acl e req.hdr(x-id),lower -m found
                  acl f url_param(uid) -m reg ^[0-9]+$
                  acl g nbsrv(b) lt 1
                  acl h ssl_fc
                  acl i path -f /etc/paths.lst -- -dash
                """);
        AclTest a = f.acls().get(0).test();
        assertThat(a.fetch().name()).isEqualTo("hdr");
        assertThat(a.fetch().args()).containsExactly("host");
        assertThat(a.match()).isEqualTo(Match.BEG);
        assertThat(a.ignoreCase()).isTrue();
        assertThat(a.criterion()).isEqualTo("hdr_beg(host)");
        assertThat(a.value()).isEqualTo("-i www.");
        assertThat(f.acls().get(1).test().match()).isEqualTo(Match.END);
        assertThat(f.acls().get(2).test().match()).isEqualTo(Match.IP);
        assertThat(f.acls().get(3).test().match()).isEqualTo(Match.INT);
        AclTest e = f.acls().get(4).test();
        assertThat(e.fetch().name()).isEqualTo("hdr");
        assertThat(e.fetch().converters()).containsExactly("lower");
        assertThat(e.match()).isEqualTo(Match.FOUND);
        assertThat(f.acls().get(5).test().match()).isEqualTo(Match.REG);
        assertThat(f.acls().get(6).test().patterns()).containsExactly("lt", "1");
        assertThat(f.acls().get(7).test().match()).isEqualTo(Match.BOOL);
        assertThat(f.acls().get(8).test().patternFiles()).containsExactly("/etc/paths.lst");
        assertThat(f.acls().get(8).test().patterns()).containsExactly("-dash");
    }

    @Test
    void aclProblems() {
        assertThat(problems("frontend f\n  acl a src 10.0.0.0/33\n")).containsExactly(
                "t.cfg:2:13: error: acl 'a': invalid IP address or network '10.0.0.0/33'; expected an address or"
                        + " CIDR such as 10.0.0.0/8 or 2001:db8::/32");
        assertThat(problems("frontend f\n  acl a pth_beg /x\n")).containsExactly(
                "t.cfg:2:9: error: acl 'a': fetch 'pth_beg' is not supported yet; did you mean 'path_beg'?");
        assertThat(problems("frontend f\n  acl a path -m bgn /x\n")).containsExactly(
                "t.cfg:2:17: error: acl 'a': unknown match method 'bgn'; did you mean 'beg'? expected one of: str"
                        + " beg end sub reg dom dir len ip int bool found");
    }

    @Test
    void conditions() {
        Frontend f = frontend("  use_backend x if a !b || { path_beg /api } or !{ ssl_fc }\n"
                + "  use_backend y unless ! c\n");
        Condition c = f.useBackends().getFirst().condition();
        assertThat(c.unless()).isFalse();
        assertThat(c.alternatives()).hasSize(3);
        assertThat(c.alternatives().get(0)).extracting(t -> (t.negated() ? "!" : "") + t.aclName())
                .containsExactly("a", "!b");
        assertThat(c.alternatives().get(1).getFirst().anonymous().match()).isEqualTo(Match.BEG);
        assertThat(c.alternatives().get(2).getFirst().negated()).isTrue();
        assertThat(c.text()).isEqualTo("a !b || { path_beg /api } or !{ ssl_fc }");
        Condition u = f.useBackends().get(1).condition();
        assertThat(u.unless()).isTrue();
        assertThat(u.alternatives().getFirst().getFirst().negated()).isTrue();
        assertThat(problems("frontend f\n  use_backend x if { path_beg /a\n")).containsExactly(
                "t.cfg:2:20: error: missing '}' to close the anonymous ACL; write '{ <criterion> <patterns> }'");
        assertThat(problems("frontend f\n  use_backend x if\n")).hasSize(1);
    }

    @Test
    void predefinedAcls() {
        assertThat(PredefinedAcls.get("METH_GET").patterns()).containsExactly("GET", "HEAD");
        assertThat(PredefinedAcls.get("LOCALHOST").match()).isEqualTo(Match.IP);
        assertThat(PredefinedAcls.get("HTTP_URL_SLASH").match()).isEqualTo(Match.BEG);
        assertThat(PredefinedAcls.get("TRUE").fetch().name()).isEqualTo("always_true");
        assertThat(PredefinedAcls.get("nope")).isNull();
        assertThat(PredefinedAcls.names()).contains("FALSE", "HTTP", "HTTP_1.0", "HTTP_1.1", "HTTP_CONTENT",
                "HTTP_URL_ABS", "HTTP_URL_STAR", "METH_CONNECT", "METH_DELETE", "METH_HEAD", "METH_OPTIONS",
                "METH_POST", "METH_PUT", "METH_TRACE", "REQ_CONTENT");
    }

    // ---- rules ----

    @Test
    void httpRules() {
        Frontend f = frontend("""
                  http-request set-header X-A "%[src]"
                  http-request add-header X-B b if { ssl_fc }
                  http-request del-header X-C -m beg
                  http-request redirect location /new code 308 drop-query
                  http-request return status 503 content-type text/plain string "down" hdr X-R 1
                  http-request deny deny_status 429 unless ok
                  http-request allow
                  http-request auth realm admins
                  http-response set-header X-D d
                """);
        List<HttpRule> r = f.httpRequestRules();
        assertThat(r.get(0)).isInstanceOf(HttpRule.SetHeader.class);
        assertThat(((HttpRule.SetHeader) r.get(0)).value().text()).isEqualTo("%[src]");
        assertThat(r.get(1).condition()).isNotNull();
        assertThat(((HttpRule.DelHeader) r.get(2)).method()).isEqualTo(Match.BEG);
        HttpRule.Redirect red = (HttpRule.Redirect) r.get(3);
        assertThat(red.code()).isEqualTo(308);
        assertThat(red.options()).containsExactly("drop-query");
        HttpRule.Return ret = (HttpRule.Return) r.get(4);
        assertThat(ret.status()).isEqualTo(503);
        assertThat(ret.content()).isEqualTo("down");
        assertThat(ret.headers()).hasSize(1);
        assertThat(((HttpRule.Deny) r.get(5)).status()).isEqualTo(429);
        assertThat(r.get(6)).isInstanceOf(HttpRule.Allow.class);
        assertThat(((HttpRule.Auth) r.get(7)).realm()).isEqualTo("admins");
        assertThat(f.httpResponseRules()).hasSize(1);
        assertThat(problems("frontend f\n  http-request set-heder X 1\n")).containsExactly(
                "t.cfg:2:16: error: unknown http-request action 'set-heder'; did you mean 'set-header'?");
        assertThat(problems("frontend f\n  http-request set-var(txn.x) str(1)\n").getFirst())
                .contains("error: 'http-request set-var' is not supported yet");
        assertThat(problems("frontend f\n  http-request lua.x\n").getFirst())
                .contains("'http-request lua' is not supported yet");
        assertThat(problems("frontend f\n  http-request tarpit\n").getFirst())
                .contains("'http-request tarpit' is not supported yet");
        assertThat(problems("frontend f\n  http-response auth\n").getFirst())
                .contains("'auth' is not allowed in http-response");
    }

    // ---- options, timeouts, misc ----

    @Test
    void options() {
        Backend b = backend("""
                  option forwardfor except 127.0.0.0/8 header X-Real-IP if-none
                  option httpchk GET /health HTTP/1.1
                  option http-keep-alive
                  option http-server-close
                  option redispatch
                """);
        assertThat(b.forwardFor().except().toString()).isEqualTo("127.0.0.0/8");
        assertThat(b.forwardFor().header()).isEqualTo("X-Real-IP");
        assertThat(b.httpCheck().uri()).isEqualTo("/health");
        assertThat(b.httpCheck().version()).isEqualTo("HTTP/1.1");
        // The last HTTP connection mode wins, as in HAProxy.
        assertThat(b.options()).containsExactlyInAnyOrder(ProxyOption.HTTP_SERVER_CLOSE, ProxyOption.REDISPATCH);
        assertThat(problems("backend b\n  option forwardfro\n")).containsExactly(
                "t.cfg:2:10: error: unknown option 'forwardfro'; did you mean 'forwardfor'?");
        assertThat(problems("backend b\n  option ssl-hello-chk\n").getFirst())
                .contains("'option ssl-hello-chk' is not supported yet");
    }

    @Test
    void noOptionOverridesDefaults() {
        Config c = ok("defaults\n  option forwardfor\n  option httpchk\nbackend b\n  no option forwardfor\n"
                + "  no option httpchk\n");
        assertThat(c.backend("b").orElseThrow().forwardFor()).isNull();
        assertThat(c.backend("b").orElseThrow().httpCheck()).isNull();
    }

    @Test
    void timeoutsAndLimits() {
        Config c = ok("global\n  maxconn 100\n  nbthread 2\n  hard-stop-after 30s\ndefaults\n  retries 5\n"
                + "  timeout http-keep-alive 1s\n  timeout queue 2s\nfrontend f\n  bind :80\n  maxconn 7\n"
                + "  backlog 9\n  errorfile 503 /e/503.http\nbackend b\n");
        assertThat(c.global().maxconn()).isEqualTo(100);
        assertThat(c.global().nbthread()).isEqualTo(2);
        assertThat(c.global().hardStopAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.backend("b").orElseThrow().retries()).isEqualTo(5);
        assertThat(c.backend("b").orElseThrow().timeouts().get(Timeout.QUEUE)).isEqualTo(Duration.ofSeconds(2));
        Frontend f = c.frontend("f").orElseThrow();
        assertThat(f.maxconn()).isEqualTo(7);
        assertThat(f.backlog()).isEqualTo(9);
        assertThat(f.errorFiles().getFirst().path()).isEqualTo("/e/503.http");
        assertThat(problems("defaults\n  timeout sever 1s\n")).containsExactly(
                "t.cfg:2:11: error: unknown timeout 'sever'; did you mean 'server'?");
    }

    @Test
    void userlists() {
        Config c = ok("userlist u\n  group admins users alice\n  user alice password $5$x groups admins\n"
                + "  user bob insecure-password secret\n");
        var u = c.userlist("u").orElseThrow();
        assertThat(u.user("alice").orElseThrow().secure()).isTrue();
        assertThat(u.user("alice").orElseThrow().groups()).containsExactly("admins");
        assertThat(u.user("bob").orElseThrow().password()).isEqualTo("secret");
        assertThat(u.groups().getFirst().users()).containsExactly("alice");
        assertThat(problems("userlist u\n  user bob\n")).containsExactly(
                "t.cfg:2:8: error: user 'bob' has no password; add 'password <crypt-hash>' or 'insecure-password"
                        + " <password>'");
    }

    @Test
    void bindAddressIsWildcard() {
        assertThat(frontend("").binds().getFirst().address().family()).isEqualTo(BindAddress.Family.ANY);
    }
}
