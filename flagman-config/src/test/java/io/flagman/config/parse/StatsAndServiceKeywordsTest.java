package io.flagman.config.parse;

import static io.flagman.config.parse.ConfigParserTest.frontend;
import static io.flagman.config.parse.ConfigParserTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.StatsPage;
import io.flagman.config.text.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code http-request use-service prometheus-exporter} and the proxy {@code stats} lines of the stats page. */
class StatsAndServiceKeywordsTest {

    @Test
    void useServicePrometheusExporterParsesAndWritesBack() {
        Frontend f = frontend("  http-request use-service prometheus-exporter if { path /metrics }\n");
        HttpRule.UseService u = (HttpRule.UseService) f.httpRequestRules().getFirst();
        assertThat(u.service()).isEqualTo("prometheus-exporter");
        assertThat(u.condition()).isNotNull();
        assertThat(HttpRuleKeyword.write("http-request", u))
                .containsExactly("http-request", "use-service", "prometheus-exporter", "if", "{", "path", "/metrics", "}");
    }

    @Test
    void otherServicesAndResponseSideAreErrors() {
        assertThat(problems("frontend f\n  bind :80\n  http-request use-service lua.hello\n"))
                .anyMatch(p -> p.contains("use-service: unknown service 'lua.hello'"));
        assertThat(problems("frontend f\n  bind :80\n  http-request use-service prometheus-exporterr\n"))
                .anyMatch(p -> p.contains("prometheus-exporter"));
        assertThat(problems("frontend f\n  bind :80\n  http-response use-service prometheus-exporter\n"))
                .anyMatch(p -> p.contains("'use-service' is not allowed in http-response"));
        assertThat(problems("frontend f\n  bind :80\n  http-request use-service\n"))
                .anyMatch(p -> p.contains("missing argument"));
    }

    @Test
    void statsLinesEnableThePage() {
        Frontend f = frontend("""
                  stats uri /stats
                  stats refresh 10s
                  stats auth admin:s3cret
                  stats auth ops:other
                  stats realm Ops
                  stats hide-version
                  stats admin if TRUE
                """);
        StatsPage s = f.stats();
        assertThat(s.uri()).isEqualTo("/stats");
        assertThat(s.refreshSeconds()).isEqualTo(10);
        assertThat(s.auths()).containsExactly("admin:s3cret", "ops:other");
        assertThat(s.realm()).isEqualTo("Ops");
        assertThat(s.hideVersion()).isTrue();
        assertThat(s.admin()).hasSize(1);
        StatsPage d = frontend("  stats enable\n").stats();
        assertThat(d.uri()).isEqualTo("/haproxy?stats");
        assertThat(d.realm()).isEqualTo("HAProxy Statistics");
        assertThat(d.admin()).isEmpty();
        assertThat(frontend("  maxconn 10\n").stats()).isNull();
        assertThat(frontend("  stats admin if TRUE\n").stats().uri()).as("stats admin enables the page too")
                .isEqualTo("/haproxy?stats");
    }

    @Test
    void statsMistakesAreDiagnostics() {
        assertThat(problems("frontend f\n  bind :80\n  stats auth nocolon\n"))
                .anyMatch(p -> p.contains("t.cfg:3:") && p.contains("expected <user>:<password>"));
        assertThat(problems("frontend f\n  bind :80\n  stats uri\n")).anyMatch(p -> p.contains("t.cfg:3:"));
        assertThat(problems("frontend f\n  bind :80\n  stats show-modules\n"))
                .anyMatch(p -> p.contains("'stats show-modules' is not supported yet"));
        assertThat(problems("frontend f\n  bind :80\n  stats enabel\n")).anyMatch(p -> p.contains("enable"));
        assertThat(problems("frontend f\n  bind :80\n  stats admin\n"))
                .anyMatch(p -> p.contains("'stats admin' needs a condition"));
        assertThat(problems("frontend f\n  bind :80\n  stats refresh soon\n"))
                .anyMatch(p -> p.contains("stats refresh: invalid delay"));
    }

    @Test
    void showLinesScopeAndARealmOfSeveralWords() {
        StatsPage s = frontend("""
                  stats show-legends
                  stats show-node
                  stats show-desc the front load balancer
                  stats scope .
                  stats scope app
                """).stats();
        assertThat(s.showLegends()).isTrue();
        assertThat(s.showNode()).as("show-node without a name: the process's node name").isEmpty();
        assertThat(s.showDesc()).isEqualTo("the front load balancer");
        assertThat(s.scopes()).containsExactly("f", "app");
        assertThat(frontend("  stats show-node edge-1\n").stats().showNode()).isEqualTo("edge-1");
        LoadResult r = ConfigLoader.fromText("t.cfg", "frontend f\n  mode http\n  bind :80\n"
                + "  stats realm HAProxy Statistics\n  timeout client 1s\n", Path.of("."));
        assertThat(r.config().frontends().getFirst().stats().realm()).isEqualTo("HAProxy");
        assertThat(r.diagnostics()).anyMatch(d -> !d.isError() && d.format().contains("t.cfg:4:")
                && d.format().contains("'stats realm' takes one word"));
    }

    @Test
    void statsInDefaultsAreInheritedByHttpProxiesOnly() {
        LoadResult r = ConfigLoader.fromText("t.cfg", """
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 1s
                  timeout server 1s
                  stats enable
                  stats uri /st
                frontend web
                  bind 127.0.0.1:8080
                  default_backend b
                frontend own
                  bind 127.0.0.1:8082
                  stats uri /mine
                  default_backend b
                listen dns
                  mode tcp
                  bind 127.0.0.1:8053
                  server d 127.0.0.1:53
                backend b
                  server s 127.0.0.1:8081
                """, Path.of("."));
        assertThat(r.diagnostics()).noneMatch(Diagnostic::isError);
        Frontend web = r.config().frontends().stream().filter(f -> f.name().equals("web")).findFirst().orElseThrow();
        Frontend own = r.config().frontends().stream().filter(f -> f.name().equals("own")).findFirst().orElseThrow();
        assertThat(web.stats().uri()).isEqualTo("/st");
        assertThat(own.stats().uri()).isEqualTo("/mine");
        assertThat(r.diagnostics()).anyMatch(d -> d.format().contains("'stats' page is ignored for listen 'dns'"));
        assertThat(problems("defaults\n  stats admin if TRUE\n"))
                .anyMatch(p -> p.contains("'stats admin' is not allowed in a defaults section"));
    }

    @Test
    void theStatsPageNeedsModeHttp() {
        LoadResult r = ConfigLoader.fromText("t.cfg", """
                defaults
                  timeout connect 1s
                  timeout client 1s
                  timeout server 1s
                frontend f
                  mode tcp
                  bind 127.0.0.1:8080
                  stats enable
                  default_backend b
                backend b
                  mode tcp
                  server s 127.0.0.1:8081
                """, Path.of("."));
        List<String> errors = r.diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::format).toList();
        assertThat(errors).anyMatch(e -> e.contains("t.cfg:8:") && e.contains("the stats page needs mode http"));
    }
}
