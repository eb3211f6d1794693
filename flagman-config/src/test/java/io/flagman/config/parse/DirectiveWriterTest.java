package io.flagman.config.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.Server;
import io.flagman.config.model.Userlist;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Words;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * parse(write(x)) == x: every directive of a varied config is rewritten in place by DirectiveWriter (same line
 * number), and the re-parsed model must equal the original one.
 */
class DirectiveWriterTest {

    static final String CONFIG = """
            global
              log stdout format raw daemon
            defaults
              mode http
              timeout client 20000
              timeout connect 1500
              timeout server 60000ms
              option httplog
              no option redispatch
              option forwardfor except 10.0.0.0/8 header X-Real-IP if-none
              retries 4
              default-server inter 3s fall 2
            userlist admins
              user alice password $6$abc groups ops,dev
              user bob insecure-password 'two words'
              group ops users alice
            frontend web
              bind *:80 name plain
              bind [::]:443 name tls ssl crt /c.pem alpn h2,http/1.1 maxconn 100 backlog 10 v6only
              bind 10.0.0.1:8000-8010 accept-proxy
              acl api path_beg -i /api /v2
              acl local src 127.0.0.1 10.0.0.0/8
              acl host hdr(host),lower -m str example.com
              http-request set-header X-Proto "https %[ssl_fc]" if { ssl_fc }
              http-request add-header X-A a unless local
              http-request del-header X-B -m sub
              http-request redirect scheme https code 301 if !local api || host
              http-request redirect location /x drop-query set-cookie a=b
              http-request return status 404 content-type text/html lf-file /e.html hdr X-E e
              http-request return
              http-request deny deny_status 429 if api
              http-request deny
              http-request allow if local
              http-request auth realm Ops unless local
              http-response set-header X-S s
              use_backend api if api
              use_backend %[req.hdr(host),lower]
              default_backend app
            backend app
              balance url_param uid
              option httpchk GET /health HTTP/1.1
              server a 10.0.0.1:80 check weight 10 maxconn 5 backup send-proxy
              server b [fd00::4]:8080 disabled ssl verify required sni str(x) inter 1s rise 5 send-proxy-v2
              server c app.local
              use-server a if { hdr(x-srv) a }
            backend api
              balance hdr(x-user)
            """;

    static Config parse(String text) {
        ParseResult r = ConfigParser.parse(ConfigDocument.parse("t.cfg", text, n -> null));
        assertThat(r.diagnostics()).filteredOn(d -> d.isError()).isEmpty();
        return r.config();
    }

    /** Replaces the 1-based line {@code n} by the given words (indented). */
    static String rewrite(String text, int n, List<String> words) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.set(n - 1, "  " + ConfigDocument.joinWords(words));
        return String.join("\n", lines);
    }

    @Test
    void everyChildDirectiveRoundTrips() {
        Config original = parse(CONFIG);
        String text = CONFIG;
        Frontend web = original.frontend("web").orElseThrow();
        for (var b : web.binds()) {
            text = rewrite(text, b.line(), DirectiveWriter.bind(b));
        }
        for (var a : web.acls()) {
            text = rewrite(text, a.line(), DirectiveWriter.acl(a));
        }
        for (HttpRule r : web.httpRequestRules()) {
            text = rewrite(text, r.line(), DirectiveWriter.httpRule("http-request", r));
        }
        for (HttpRule r : web.httpResponseRules()) {
            text = rewrite(text, r.line(), DirectiveWriter.httpRule("http-response", r));
        }
        for (var u : web.useBackends()) {
            text = rewrite(text, u.line(), DirectiveWriter.useBackend(u));
        }
        Backend app = original.backend("app").orElseThrow();
        for (var u : app.useServers()) {
            text = rewrite(text, u.line(), DirectiveWriter.useServer(u));
        }
        assertThat(parse(text)).isEqualTo(original);
        assertThat(text).isNotEqualTo(CONFIG);
    }

    @Test
    void serversRoundTripWithoutDefaults() {
        // default-server settings are resolved into servers, so servers round-trip in a section without them.
        String text = "backend app\n  server a 10.0.0.1:80 check weight 10 maxconn 5 backup send-proxy\n"
                + "  server b [fd00::4]:8080 disabled ssl verify required sni str(x) inter 1s rise 5 fall 1"
                + " send-proxy-v2\n  server c app.local\n";
        Config original = parse(text);
        for (Server s : original.backend("app").orElseThrow().servers()) {
            text = rewrite(text, s.line(), DirectiveWriter.server(s));
        }
        assertThat(parse(text)).isEqualTo(original);
    }

    @Test
    void serverWordsAreCanonical() {
        assertThat(DirectiveWriter.server(Server.of("s1", "fd00::1", 80).withWeight(10)))
                .containsExactly("server", "s1", "[fd00::1]:80", "weight", "10");
        assertThat(DirectiveWriter.server(Server.of("s1", "web", 0))).containsExactly("server", "s1", "web");
    }

    @Test
    void serverOptionsAreWrittenAsSaidEvenWhenTheyAreHAProxysDefaults() {
        ServerSettings said = new ServerSettings();
        said.weight = Server.DEFAULT_WEIGHT;
        said.check = false;
        said.backup = false;
        List<String> words = DirectiveWriter.server("s1", DirectiveWriter.serverAddress("10.0.0.1", 80), said);
        assertThat(words).containsExactly("server", "s1", "10.0.0.1:80", "no-check", "weight", "1", "no-backup");
        // an explicit weight 1 wins over the proxy's default-server weight 10
        Config c = parse("backend b\n  mode http\n  default-server weight 10 check backup\n  "
                + String.join(" ", words) + "\n");
        Server s = c.backend("b").orElseThrow().servers().getFirst();
        assertThat(s.weight()).isEqualTo(1);
        assertThat(s.check()).isFalse();
        assertThat(s.backup()).isFalse();
    }

    @Test
    void httpActionsAreWrittenAsSaid() {
        Words cond = DirectiveWriter.condition(false, "{ src 10.0.0.0/8 }");
        // deny_status 403 is HAProxy's default, and is still written when said
        assertThat(DirectiveWriter.httpRespond("http-request", "deny", 403, null, null, null, List.of(), cond).text())
                .isEqualTo("http-request deny deny_status 403 if { src 10.0.0.0/8 }");
        assertThat(DirectiveWriter.httpRespond("http-request", "deny", null, null, null, null, List.of(), Words.of())
                .text()).isEqualTo("http-request deny");
        assertThat(DirectiveWriter.httpHeader("http-response", "set-header", "X-A",
                Words.of().plusRaw("\"%[src] x\""), Words.of()).text())
                .isEqualTo("http-response set-header X-A \"%[src] x\"");
        assertThat(DirectiveWriter.httpRedirect("http-request", HttpRule.RedirectType.SCHEME, Words.of("https"), 301,
                Words.of(), Words.of()).text()).isEqualTo("http-request redirect scheme https code 301");
    }

    @Test
    void optionLinesAreWrittenAsSaid() {
        assertThat(DirectiveWriter.option("dontlognull", false)).containsExactly("no", "option", "dontlognull");
        // an option HAProxy has and Flagman does not implement is written; the parser then refuses it by name
        assertThat(DirectiveWriter.option("allbackups", true)).containsExactly("option", "allbackups");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DirectiveWriter.option("no-such", true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DirectiveWriter.forwardFor(null, "X-Forwarded-For", false))
                .containsExactly("option", "forwardfor", "header", "X-Forwarded-For");
        assertThat(DirectiveWriter.redispatch(true, 3L)).containsExactly("option", "redispatch", "3");
        assertThat(DirectiveWriter.healthCheck("httpchk", "GET", "/health", Words.of().plusRaw("HTTP/1.1")).text())
                .isEqualTo("option httpchk GET /health HTTP/1.1");
    }

    @Test
    void balanceIsWrittenAsSaid() {
        BalanceSettings said = new BalanceSettings();
        said.algorithm = "hdr";
        said.hdrName = "host";
        said.hdrUseDomainOnly = true;
        assertThat(DirectiveWriter.balance(said)).containsExactly("balance", "hdr(host)", "use_domain_only");
        said.algorithm = "sticky-nonsense";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DirectiveWriter.balance(said))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsAreWrittenByTheKeywordsTheyBelongTo() {
        // every keyword the Data Plane API writes as a plain setting is one Flagman knows
        for (String k : List.of("mode", "default_backend", "maxconn", "backlog", "fullconn", "retries", "description",
                "id", "log-tag", "http-reuse")) {
            assertThat(DirectiveWriter.proxySetting(k, "x")).containsExactly(k, "x");
        }
        assertThat(DirectiveWriter.proxySetting("disabled")).containsExactly("disabled");
        for (String k : List.of("chroot", "user", "group", "pidfile", "uid", "gid", "nbthread", "maxconn",
                "hard-stop-after", "daemon", "master-worker")) {
            assertThat(DirectiveWriter.globalSetting(k).getFirst()).isEqualTo(k);
        }
        assertThat(DirectiveWriter.statsSocket("/run/a.sock", "admin", null))
                .containsExactly("stats", "socket", "/run/a.sock", "level", "admin");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DirectiveWriter.proxySetting("no-such", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindOptionsAreWrittenAsSaid() {
        BindSettings said = new BindSettings();
        said.name = "web";
        said.acceptProxy = true;
        said.maxconn = 100L;
        assertThat(DirectiveWriter.bind(DirectiveWriter.bindAddress(null, 8080, 8090), said))
                .containsExactly("bind", ":8080-8090", "name", "web", "accept-proxy", "maxconn", "100");
        assertThat(DirectiveWriter.bindAddress("::", 443, null)).isEqualTo("[::]:443");
        assertThat(DirectiveWriter.bindAddress("/run/x.sock", null, null)).isEqualTo("/run/x.sock");
    }

    @Test
    void usersRoundTrip() {
        Config original = parse(CONFIG);
        String text = CONFIG;
        Userlist u = original.userlist("admins").orElseThrow();
        int line = u.line();
        for (Userlist.User user : u.users()) {
            text = rewrite(text, ++line, DirectiveWriter.user(user));
        }
        for (Userlist.Group g : u.groups()) {
            text = rewrite(text, ++line, DirectiveWriter.group(g));
        }
        assertThat(parse(text)).isEqualTo(original);
    }

    /** Writes a section's settings, re-parses them and checks the settings read back the same. */
    static <T> void settingsRoundTrip(String header, T value, Function<T, List<List<String>>> write,
            Function<Config, T> read) {
        StringBuilder text = new StringBuilder(header).append('\n');
        for (List<String> w : write.apply(value)) {
            text.append("  ").append(ConfigDocument.joinWords(w)).append('\n');
        }
        T back = read.apply(parse(text.toString()));
        assertThat(write.apply(back)).isEqualTo(write.apply(value));
    }

    @Test
    void sectionSettingsRoundTrip() {
        Config c = parse(CONFIG);
        settingsRoundTrip("backend app", c.backend("app").orElseThrow(), DirectiveWriter::backendSettings,
                x -> x.backend("app").orElseThrow());
        settingsRoundTrip("frontend web", c.frontend("web").orElseThrow(), DirectiveWriter::frontendSettings,
                x -> x.frontend("web").orElseThrow());
        settingsRoundTrip("defaults", c.defaults().getFirst(), DirectiveWriter::defaultsSettings,
                x -> x.defaults().getFirst());
    }

    @Test
    void defaultsSettingsAreCanonical() {
        assertThat(DirectiveWriter.defaultsSettings(parse(CONFIG).defaults().getFirst())).containsExactly(
                List.of("mode", "http"),
                List.of("option", "httplog"),
                List.of("no", "option", "redispatch"),
                List.of("option", "forwardfor", "except", "10.0.0.0/8", "header", "X-Real-IP", "if-none"),
                List.of("timeout", "connect", "1500ms"),
                List.of("timeout", "client", "20s"),
                List.of("timeout", "server", "1m"),
                List.of("retries", "4"),
                List.of("default-server", "inter", "3s", "fall", "2"));
        assertThat(DirectiveWriter.duration(Duration.ofHours(2))).isEqualTo("2h");
    }
}
