package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slowloris: a client that drips a request head one byte at a time. {@code timeout http-request} bounds the whole
 * head from its first byte, however often bytes arrive (a per-read timeout would let the client hold the
 * connection forever), and nothing reaches the server. The load version with a thousand such clients is
 * bench/hostile.sh.
 */
class SlowClientTest {
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        web.close();
    }

    private void apply() throws ApplyException {
        proxy.apply("""
                defaults
                  mode http
                  timeout http-request 600ms
                  timeout http-keep-alive 600ms
                  timeout client 30s
                  timeout server 30s
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  server web %s
                """.formatted(web.address()));
    }

    /**
     * Drips one byte every 100 ms (each read well inside every timeout) and returns how long the proxy let the head
     * take before it answered, in ms; fails if the drip of {@code maxBytes} ends first.
     */
    private static long dripUntilAnswered(RawHttp c, int maxBytes) throws IOException {
        c.socket.setSoTimeout(100);
        InputStream in = c.socket.getInputStream();
        long t0 = System.nanoTime();
        for (int i = 0; i < maxBytes; i++) {
            try {
                c.send("a");
            } catch (IOException closed) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            try {
                int b = in.read();
                if (b >= 0) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
                return (System.nanoTime() - t0) / 1_000_000; // closed without an answer
            } catch (SocketTimeoutException stillOpen) {
                // the proxy is still waiting for the head: drip the next byte
            }
        }
        throw new AssertionError("the proxy let a " + maxBytes + "-byte drip of a request head run to its end");
    }

    @Test
    void httpRequestTimeoutBoundsTheWholeHeadNotEachRead() throws Exception {
        apply();
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            long ms = dripUntilAnswered(c, 100); // 100 bytes at 100 ms: 10 s if each read re-armed the timeout
            assertThat(ms).isBetween(400L, 3_000L);
            c.socket.setSoTimeout(5_000);
            String rest = new String(c.socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat("H" + rest).startsWith("HTTP/1.1 408");
        }
        assertThat(web.requests).isEmpty();
    }

    @Test
    void aDrippedSecondRequestOnAKeepAliveConnectionIsBoundedToo() throws Exception {
        apply();
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/first", "x").status()).isEqualTo(200);
            c.send("GET /second HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            long ms = dripUntilAnswered(c, 100);
            assertThat(ms).isLessThan(3_000L);
        }
        assertThat(web.requests).hasSize(1);
    }
}
