package io.flagman.config.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Balance;
import io.flagman.config.model.Condition;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines HAProxy 2.6 reads in ways Flagman once did not (issue 10, "found on the way"); each checked with haproxy -c. */
class HaproxyReadingTest {

    private static ParseResult parse(String text) {
        return ConfigParser.parse(ConfigDocument.parse("t.cfg", text, name -> null));
    }

    private static List<Diagnostic> errors(String text) {
        return parse(text).diagnostics().stream().filter(Diagnostic::isError).toList();
    }

    private static List<Diagnostic> warnings(String text) {
        return parse(text).diagnostics().stream().filter(d -> !d.isError()).toList();
    }

    private static Config ok(String text) {
        ParseResult r = parse(text);
        assertThat(r.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
        return r.config();
    }

    @Test
    void bareBalanceIsRoundRobin() {
        Backend b = ok("defaults\n  balance source\nbackend b\n  balance\n  server s 127.0.0.1:1\n")
                .backend("b").orElseThrow();
        assertThat(b.balance()).isEqualTo(Balance.ROUND_ROBIN);
    }

    @Test
    void orIsReadInAnyCase() {
        Frontend f = ok("""
                frontend f
                  mode http
                  bind :80
                  acl a path /a
                  acl b path /b
                  acl c path /c
                  http-request deny if a OR b Or c || a
                """).frontend("f").orElseThrow();
        Condition c = f.httpRequestRules().getFirst().condition();
        assertThat(c.alternatives()).hasSize(4);
        assertThat(c.alternatives()).allSatisfy(g -> assertThat(g).hasSize(1));
    }

    @Test
    void redirectOptionsInAnyOrderAndTheLastTypeWins() {
        Frontend f = ok("""
                frontend f
                  mode http
                  bind :80
                  http-request redirect code 301 location /x if { path /a }
                  http-request redirect drop-query code 308 prefix /p set-cookie A=1
                  http-request redirect location /first prefix /second
                """).frontend("f").orElseThrow();
        HttpRule.Redirect a = (HttpRule.Redirect) f.httpRequestRules().get(0);
        assertThat(a.type()).isEqualTo(HttpRule.RedirectType.LOCATION);
        assertThat(a.value().text()).isEqualTo("/x");
        assertThat(a.code()).isEqualTo(301);
        HttpRule.Redirect b = (HttpRule.Redirect) f.httpRequestRules().get(1);
        assertThat(b.type()).isEqualTo(HttpRule.RedirectType.PREFIX);
        assertThat(b.code()).isEqualTo(308);
        assertThat(b.options()).containsExactly("drop-query", "set-cookie", "A=1");
        HttpRule.Redirect c = (HttpRule.Redirect) f.httpRequestRules().get(2);
        assertThat(c.type()).isEqualTo(HttpRule.RedirectType.PREFIX);
        assertThat(c.value().text()).isEqualTo("/second");
    }

    @Test
    void redirectWithoutTypeOrWithKeepQueryIsAnError() {
        assertThat(errors("frontend f\n  mode http\n  bind :80\n  http-request redirect code 301\n"))
                .singleElement().satisfies(d -> assertThat(d.message()).contains("expected location, prefix or scheme"));
        // keep-query came after 2.6, which refuses it
        assertThat(errors("frontend f\n  mode http\n  bind :80\n  http-request redirect location /x keep-query\n"))
                .singleElement().satisfies(d -> assertThat(d.message()).contains("unknown option 'keep-query'"));
    }

    @Test
    void theRedirectKeywordHasItsOwnRulesAndWritesBackAsRead() {
        String line = "redirect scheme https code 301 if !{ ssl_fc }";
        Frontend f = ok("frontend f\n  mode http\n  bind :80\n  " + line + "\n  redirect location /x\n")
                .frontend("f").orElseThrow();
        assertThat(f.httpRequestRules()).isEmpty();
        assertThat(f.redirectRules()).hasSize(2);
        HttpRule.Redirect r = (HttpRule.Redirect) f.redirectRules().getFirst();
        assertThat(r.type()).isEqualTo(HttpRule.RedirectType.SCHEME);
        assertThat(String.join(" ", RedirectKeyword.write(r))).isEqualTo(line);
        Backend b = ok("backend b\n  mode http\n  redirect prefix /new code 302\n  server s 127.0.0.1:1\n")
                .backend("b").orElseThrow();
        assertThat(b.redirectRules()).hasSize(1);
    }

    @Test
    void aRuleAfterARedirectRuleWarnsAsHaproxyDoes() {
        assertThat(warnings("frontend f\n  mode http\n  bind :80\n  redirect location /x if { path /a }\n"
                + "  http-request deny if { path /b }\n"))
                .singleElement().satisfies(d -> assertThat(d.message()).contains("will still be processed before"));
    }

    @Test
    void namedArgumentActionsAreNamedNotUnknown() {
        assertThat(errors("frontend f\n  mode http\n  bind :80\n  http-request set-var(txn.x) str(a)\n"))
                .singleElement().satisfies(d -> assertThat(d.message())
                        .isEqualTo("'http-request set-var' is not supported yet"));
        assertThat(errors("frontend f\n  mode http\n  bind :80\n  http-request sc-inc-gpc0(0)\n"))
                .singleElement().satisfies(d -> assertThat(d.message())
                        .isEqualTo("'http-request sc-inc-gpc0' is not supported yet"));
        assertThat(errors("frontend f\n  mode http\n  bind :80\n  http-response lua.fix\n"))
                .singleElement().satisfies(d -> assertThat(d.message())
                        .isEqualTo("'http-response lua' is not supported yet"));
    }

    @Test
    void portAndAddrGiveChecksTheirOwnTargetAndAreInheritedFromDefaultServer() {
        io.flagman.config.model.Backend b = ConfigParserTest.backend(
                "  default-server port 9000\n  server s 127.0.0.1:80 check addr 10.0.0.9\n"
                        + "  server t 127.0.0.1:81 check port 9100\n  server u 127.0.0.1:82\n");
        assertThat(b.server("s").orElseThrow().checkPort()).isEqualTo(9000);
        assertThat(b.server("s").orElseThrow().checkAddr()).isEqualTo("10.0.0.9");
        assertThat(b.server("t").orElseThrow().checkPort()).isEqualTo(9100);
        assertThat(b.server("t").orElseThrow().checksElsewhere()).isTrue();
        assertThat(ServerKeyword.write(b.server("t").orElseThrow()))
                .containsExactly("server", "t", "127.0.0.1:81", "check", "port", "9100");
        assertThat(errors("backend b\n  server s 127.0.0.1:80 check port 70000\n")).singleElement()
                .satisfies(d -> assertThat(d.format()).contains("t.cfg:2:"));
        assertThat(errors("backend b\n  server s 127.0.0.1:80 check addr db.local\n")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("'db.local' is not an IPv4 or IPv6 address"));
    }

    @Test
    void anUnsupportedOptionWithAValueIsOneError() {
        assertThat(errors("backend b\n  server s 127.0.0.1:80 check minconn 8080 inter 2s\n"))
                .singleElement().satisfies(d -> assertThat(d.message())
                        .isEqualTo("server option 'minconn' is not supported yet"));
        assertThat(errors("backend b\n  server s 127.0.0.1:80 check-ssl weight 3\n"))
                .singleElement().satisfies(d -> assertThat(d.message()).contains("'check-ssl'"));
        assertThat(errors("frontend f\n  bind :443 ca-file /ca.pem strict-sni name x\n"))
                .extracting(Diagnostic::message)
                .containsExactly("bind option 'ca-file' is not supported yet",
                        "bind option 'strict-sni' is not supported yet");
    }

    @Test
    void tcpSmartOptionsAreAcceptedWithAWarning() {
        String text = "defaults\n  option tcp-smart-accept\n  option tcp-smart-connect\n  no option tcp-smart-accept\n";
        assertThat(errors(text)).isEmpty();
        assertThat(warnings(text)).hasSize(3)
                .allSatisfy(d -> assertThat(d.message()).contains("has no effect in Flagman"));
        assertThat(errors("defaults\n  option tcp-smart-accept now\n")).hasSize(1);
    }

    @Test
    void optionTcpCheckIsAConnectCheckAndTcpCheckRulesStayErrors() {
        Backend b = ok("defaults\n  option httpchk GET /h\nbackend b\n  option tcp-check\n  server s 127.0.0.1:1 check\n")
                .backend("b").orElseThrow();
        assertThat(b.httpCheck()).isNull();
        assertThat(errors("backend b\n  option tcp-check\n  tcp-check connect port 80\n"))
                .singleElement().satisfies(d -> assertThat(d.message()).contains("'tcp-check' is not supported yet"));
        assertThat(warnings("backend b\n  fullconn 100\n")).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("'fullconn' has no effect in Flagman"));
    }

    @Test
    void defaultBackendInAListenWinsOverItsServers() {
        String text = """
                listen l
                  mode http
                  bind :80
                  default_backend other
                  server s 127.0.0.1:1
                backend other
                  mode http
                  server t 127.0.0.1:2
                """;
        assertThat(ok(text).frontend("l").orElseThrow().defaultBackend()).isEqualTo("other");
        assertThat(warnings(text)).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("always has precedence over the servers"));
        Config inherited = ok("defaults\n  default_backend other\nlisten l\n  bind :80\nbackend other\n");
        assertThat(inherited.frontend("l").orElseThrow().defaultBackend()).isEqualTo("other");
        Config own = ok("listen l\n  bind :80\n  server s 127.0.0.1:1\n");
        assertThat(own.frontend("l").orElseThrow().defaultBackend()).isEqualTo("l");
    }

    @Test
    void aLastLineWithoutNewlineIsRefusedAsPossiblyTruncated() {
        Path dir = Path.of(".").toAbsolutePath();
        for (String last : List.of("  server s 127.0.0.1:1", "# a comment", "   ", "\r")) {
            LoadResult r = ConfigLoader.fromText("t.cfg", "backend b\n" + last, dir);
            assertThat(r.config()).as("last line %s", last).isNull();
            assertThat(r.errors()).anySatisfy(d -> assertThat(d.message())
                    .contains("missing newline at the end of the last line"));
        }
        assertThat(ConfigLoader.fromText("t.cfg", "backend b\n", dir).config()).isNotNull();
        assertThat(ConfigLoader.fromText("t.cfg", "", dir).errors()).isEmpty();
    }
}
