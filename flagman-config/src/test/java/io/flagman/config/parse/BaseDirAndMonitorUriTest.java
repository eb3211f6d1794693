package io.flagman.config.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.model.Config;
import io.flagman.config.model.HttpRule;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import org.junit.jupiter.api.Test;

/** {@code crt-base} / {@code ca-base} in the global section and {@code monitor-uri}, read as HAProxy reads them. */
class BaseDirAndMonitorUriTest {

    private static ParseResult parse(String text) {
        return ConfigParser.parse(ConfigDocument.parse("t.cfg", text, name -> null));
    }

    private static Config ok(String text) {
        ParseResult r = parse(text);
        assertThat(r.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
        return r.config();
    }

    @Test
    void crtBaseReadsRelativeCertificatePathsOnly() {
        Config c = ok("""
                global
                  crt-base /etc/ssl/private
                  ca-base /etc/ssl/certs
                frontend f
                  mode http
                  bind :443 ssl crt site.pem crt /abs/other.pem crt sub/third.pem
                """);
        assertThat(c.frontend("f").orElseThrow().binds().getFirst().certificates())
                .containsExactly("/etc/ssl/private/site.pem", "/abs/other.pem", "/etc/ssl/private/sub/third.pem");
        Config without = ok("frontend f\n  mode http\n  bind :443 ssl crt site.pem\n");
        assertThat(without.frontend("f").orElseThrow().binds().getFirst().certificates()).containsExactly("site.pem");
        assertThat(parse("global\n  crt-base\n").diagnostics()).filteredOn(Diagnostic::isError).hasSize(1);
        assertThat(parse("global\n  ca-base a b\n").diagnostics()).filteredOn(Diagnostic::isError).hasSize(1);
        // ca-file itself is still refused, naming it
        assertThat(parse("global\n  ca-base /c\nfrontend f\n  bind :443 ssl crt a.pem ca-file ca.pem\n")
                .diagnostics()).filteredOn(Diagnostic::isError).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("'ca-file' is not supported yet"));
    }

    @Test
    void monitorUriIsTheFirstRequestRuleAndIsInherited() {
        Config c = ok("""
                defaults
                  mode http
                  monitor-uri /alive
                frontend f
                  bind :80
                  http-request deny
                frontend g
                  bind :81
                  monitor-uri /health
                backend b
                """);
        var f = c.frontend("f").orElseThrow().httpRequestRules();
        assertThat(f).hasSize(2);
        HttpRule.Return r = (HttpRule.Return) f.getFirst();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.content()).isEqualTo(MonitorUriKeyword.BODY);
        assertThat(r.condition().text()).isEqualTo("{ url -m str /alive }");
        assertThat(f.get(1)).isInstanceOf(HttpRule.Deny.class);
        assertThat(((HttpRule.Return) c.frontend("g").orElseThrow().httpRequestRules().getFirst()).condition().text())
                .isEqualTo("{ url -m str /health }");
        assertThat(c.backend("b").orElseThrow().httpRequestRules()).isEmpty();
        ParseResult tcp = parse("frontend t\n  bind :82\n  monitor-uri /h\n");
        assertThat(tcp.config().frontend("t").orElseThrow().httpRequestRules()).isEmpty();
        assertThat(tcp.diagnostics()).singleElement().satisfies(d -> assertThat(d.message())
                .isEqualTo("monitor-uri will be ignored for frontend 't' (needs 'mode http')"));
        assertThat(parse("frontend f\n  monitor fail if { nbsrv(b) lt 1 }\n").diagnostics())
                .filteredOn(Diagnostic::isError).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("'monitor' is not supported yet"));
    }
}
