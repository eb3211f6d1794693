package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code monitor-uri}: the exact URI is answered 200 with HAProxy's body before any http-request rule and never
 * reaches the backend; any other URI (the same path with a query string too) goes through the rules as usual.
 */
class MonitorUriTest {
    private final FakeBackend a = new FakeBackend("a");
    private final ProxyFixture proxy = new ProxyFixture();

    @AfterEach
    void tearDown() {
        proxy.close();
        a.close();
    }

    @Test
    void theMonitorUriIsAnsweredLocallyBeforeTheRules() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                  monitor-uri /health
                frontend fe
                  bind 127.0.0.1:1
                  http-request deny if { path /health }
                  default_backend be
                backend be
                  server s %s
                """.formatted(a.address()));
        try (RawHttp cl = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response r = cl.get("/health", "h");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n");
            assertThat(r.header("content-type")).isEqualTo("text/html");
            assertThat(r.header("cache-control")).isEqualTo("no-cache");
            // not the exact URI: the rules run (here the deny), as in HAProxy
            assertThat(cl.get("/health?x=1", "h").status()).isEqualTo(403);
            assertThat(cl.get("/app", "h").body()).isEqualTo("a");
        }
        assertThat(a.requests).extracting(FakeBackend.Seen::uri).containsExactly("/app");
    }
}
