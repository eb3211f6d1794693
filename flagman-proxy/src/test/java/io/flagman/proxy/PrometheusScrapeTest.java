package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real Prometheus (Debian's package): it scrapes the data plane's exporter every second on
 * loopback, and what it stored is read back through its HTTP API ({@code /api/v1/query}): the request counter
 * matches the traffic sent, and a server that stops goes DOWN in Prometheus too.
 */
class PrometheusScrapeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final FakeBackend web1 = new FakeBackend("web1");
    private final FakeBackend web2 = new FakeBackend("web2");
    private final ProxyFixture proxy = new ProxyFixture();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process prometheus;
    private Path dir;

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        proxy.close();
        web1.close();
        web2.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void prometheusScrapesTheExporterAndSeesTrafficAndAServerGoingDown() throws Exception {
        Path binary = ExternalTool.require("prometheus", "prometheus");
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:1
                  http-request use-service prometheus-exporter if { path /metrics }
                  default_backend app
                backend app
                  server w1 %s check inter 100ms fall 1
                  server w2 %s check inter 100ms fall 1
                """.formatted(web1.address(), web2.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 10; i++) {
                assertThat(c.get("/", "x").status()).isEqualTo(200);
            }
        }
        assertThat(web1.requests.size() + web2.requests.size()).isEqualTo(10);

        dir = Files.createTempDirectory("flagman-prometheus");
        int port = freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: flagman
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(proxy.address("fe").getPort()));
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";

        awaitValue(api, "haproxy_backend_http_requests_total{proxy=\"app\"}", "10"::equals);
        awaitValue(api, "haproxy_server_status{proxy=\"app\",server=\"w2\",state=\"UP\"}", "1"::equals);
        String up = query(api, "up{job=\"flagman\"}");
        assertThat(up).contains("\"1\"]");

        web2.close();
        awaitValue(api, "haproxy_server_status{proxy=\"app\",server=\"w2\",state=\"DOWN\"}", "1"::equals);
        awaitValue(api, "haproxy_server_check_status{proxy=\"app\",server=\"w2\",state=\"L4CON\"}", "1"::equals);
        assertThat(value(query(api, "haproxy_server_status{proxy=\"app\",server=\"w1\",state=\"UP\"}"))).isEqualTo("1");
        assertThat(value(query(api, "haproxy_backend_http_requests_total{proxy=\"app\"}"))).isEqualTo("10");
    }

    private String query(String api, String promql) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(api + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(r, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of a one-series instant vector ({@code "value":[<time>,"<v>"]}), or null. */
    private static String value(String body) {
        Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]*)\"\\]").matcher(body);
        return m.find() ? m.group(1) : null;
    }

    /** Queries until the series' value satisfies {@code ok}, within the deadline (Prometheus scrapes every 1 s). */
    private void awaitValue(String api, String promql, Predicate<String> ok) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        String last = null;
        while (System.nanoTime() < end) {
            assertThat(prometheus.isAlive()).as("prometheus runs; its log:\n%s", log()).isTrue();
            try {
                last = query(api, promql);
                if (ok.test(value(last))) {
                    return;
                }
            } catch (IOException notListeningYet) {
                last = notListeningYet.toString();
            }
            // Prometheus stores a sample per scrape: the next answer can only differ after the next scrape.
            prometheus.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("Prometheus never answered the expected value for " + promql + "; last answer: "
                + last + "\nits log:\n" + log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
