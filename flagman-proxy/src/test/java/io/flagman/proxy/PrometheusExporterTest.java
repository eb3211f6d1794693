package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.proxy.upstream.ServerState;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http-request use-service prometheus-exporter} on a running data plane with real upstreams: HAProxy's
 * families and labels after real traffic, {@code scope} and {@code no-maint}, and the scrape passes
 * {@code promtool check metrics} (Debian's prometheus package).
 */
class PrometheusExporterTest {
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();

    @BeforeEach
    void start() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:1
                  http-request use-service prometheus-exporter if { path /metrics }
                  default_backend app
                backend app
                  server w1 %s
                  server w2 127.0.0.1:%d check inter 100ms fall 1
                  server w3 %s disabled
                """.formatted(web.address(), closedPort(), web.address()));
    }

    @AfterEach
    void stop() {
        proxy.close();
        web.close();
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private RawHttp.Response scrape(String uri) throws IOException {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            return c.get(uri, "x");
        }
    }

    private static long value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in\n%s", series, text).isTrue();
        return Long.parseLong(m.group(1));
    }

    private void awaitDown(String server) {
        ServerState s = proxy.dataPlane.serverState("app", server).orElseThrow();
        Await.until(server + " DOWN", () -> s.health() == ServerState.Health.DOWN);
    }

    @Test
    void serversStateAndTrafficAfterRealRequests() throws Exception {
        awaitDown("w2");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 10; i++) {
                assertThat(c.get("/", "x").status()).isEqualTo(200);
            }
        }
        RawHttp.Response r = scrape("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/plain; version=0.0.4");
        assertThat(r.header("cache-control")).isEqualTo("no-cache");
        String t = r.body();
        assertThat(t).contains("# HELP haproxy_server_status Current status of the service, per state label value.\n"
                + "# TYPE haproxy_server_status gauge\n");
        assertThat(value(t, "haproxy_server_sessions_total{proxy=\"app\",server=\"w1\"}")).isEqualTo(10);
        assertThat(value(t, "haproxy_backend_http_requests_total{proxy=\"app\"}")).isEqualTo(10);
        assertThat(value(t, "haproxy_backend_http_responses_total{proxy=\"app\",code=\"2xx\"}")).isEqualTo(10);
        assertThat(value(t, "haproxy_server_http_responses_total{proxy=\"app\",server=\"w1\",code=\"2xx\"}"))
                .isEqualTo(10);
        assertThat(value(t, "haproxy_frontend_http_requests_total{proxy=\"fe\"}"))
                .as("the 10 requests; the scrape under way is counted when it ends").isEqualTo(10);
        assertThat(value(t, "haproxy_server_status{proxy=\"app\",server=\"w1\",state=\"UP\"}")).isEqualTo(1);
        assertThat(value(t, "haproxy_server_status{proxy=\"app\",server=\"w2\",state=\"DOWN\"}")).isEqualTo(1);
        assertThat(value(t, "haproxy_server_status{proxy=\"app\",server=\"w2\",state=\"UP\"}")).isEqualTo(0);
        assertThat(value(t, "haproxy_server_status{proxy=\"app\",server=\"w3\",state=\"MAINT\"}")).isEqualTo(1);
        assertThat(value(t, "haproxy_server_check_status{proxy=\"app\",server=\"w2\",state=\"L4CON\"}")).isEqualTo(1);
        assertThat(t).doesNotContain("haproxy_server_check_status{proxy=\"app\",server=\"w1\"");
        assertThat(value(t, "haproxy_backend_status{proxy=\"app\",state=\"UP\"}")).isEqualTo(1);
        assertThat(value(t, "haproxy_backend_active_servers{proxy=\"app\"}")).isEqualTo(1);
        assertThat(value(t, "haproxy_backend_agg_server_status{proxy=\"app\",state=\"MAINT\"}")).isEqualTo(1);
        assertThat(value(t, "haproxy_frontend_status{proxy=\"fe\",state=\"UP\"}")).isEqualTo(1);
        assertThat(t).contains("haproxy_process_build_info{version=");
        assertThat(web.requests).hasSize(10); // the scrapes never reached a server
    }

    @Test
    void scopeAndNoMaintSelectWhatIsDumped() throws Exception {
        String servers = scrape("/metrics?scope=server").body();
        assertThat(servers).contains("haproxy_server_status{").doesNotContain("haproxy_backend_")
                .doesNotContain("haproxy_process_").doesNotContain("haproxy_frontend_");
        String two = scrape("/metrics?scope=global&scope=frontend").body();
        assertThat(two).contains("haproxy_process_uptime_seconds ", "haproxy_frontend_status{")
                .doesNotContain("haproxy_backend_", "haproxy_server_");
        assertThat(scrape("/metrics?scope=").body()).isEmpty();
        assertThat(scrape("/metrics?scope=*").body()).contains("haproxy_process_", "haproxy_server_");
        assertThat(scrape("/metrics?scope=server&no-maint").body()).contains("server=\"w1\"")
                .doesNotContain("server=\"w3\"");
        assertThat(scrape("/metrics?scope=bogus").status()).isEqualTo(400);
        // HAProxy's parameters Flagman does not implement are refused by name, not ignored
        assertThat(scrape("/metrics?metrics=haproxy_server_status").status()).isEqualTo(400);
        assertThat(scrape("/metrics?extra-counters").body()).contains("'extra-counters'");
    }

    @Test
    void promtoolAcceptsTheScrape() throws Exception {
        Path promtool = ExternalTool.require("promtool", "prometheus");
        awaitDown("w2");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 3; i++) {
                c.get("/", "x");
            }
        }
        String text = scrape("/metrics").body();
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try {
            p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            assertThat(p.exitValue()).as("promtool check metrics said:\n%s\non:\n%s", said, text).isZero();
            assertThat(said).as("promtool's lint").isEmpty();
        } finally {
            p.destroyForcibly();
        }
    }
}
