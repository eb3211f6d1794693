package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HAProxy's timeouts on the HTTP path, end to end with real sockets. */
class TimeoutsTest {
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        web.releaseHeld();
        web.close();
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    private void apply(String timeouts) throws ApplyException {
        apply(timeouts, web.address());
    }

    private void apply(String timeouts, String server) throws ApplyException {
        proxy.apply("""
                defaults
                  mode http
                %s
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  server web %s
                """.formatted(timeouts.indent(2), server));
    }

    @Test
    void httpRequestTimeoutAnswers408AndClosesOnAPartialHead() throws Exception {
        apply("timeout http-request 200ms\ntimeout client 10s");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            long t0 = System.nanoTime();
            c.send("GET / HTTP/1.1\r\nHost: x\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.closedByPeer()).isTrue();
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(150L, 5_000L);
        }
        assertThat(web.requests).isEmpty();
    }

    @Test
    void httpKeepAliveTimeoutClosesAnIdleConnectionSilently() throws Exception {
        apply("timeout http-keep-alive 200ms\ntimeout client 10s");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            long t0 = System.nanoTime(); // before the request: the idle timer starts after its response
            assertThat(c.get("/", "x").status()).isEqualTo(200);
            assertThat(c.closedByPeer()).isTrue(); // EOF, no 408
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(150L, 5_000L);
        }
    }

    @Test
    void clientTimeoutDuringTheBodyAnswers408() throws Exception {
        apply("timeout client 300ms\ntimeout server 10s");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void serverTimeoutAnswers504WhenTheServerNeverAnswers() throws Exception {
        web.hold = true;
        apply("timeout server 300ms\ntimeout client 10s");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            long t0 = System.nanoTime();
            RawHttp.Response r = c.get("/", "x");
            assertThat(r.status()).isEqualTo(504);
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 5_000L);
        }
        assertThat(web.requests).hasSize(1);
    }

    /**
     * A connect that never completes: a loopback listener whose accept queue is full drops further SYNs (Linux,
     * {@code tcp_abort_on_overflow=0}), so connects to it hang until {@code timeout connect}. The queue is filled
     * and the hang verified with a plain socket first; if the kernel answers anyway the test is skipped.
     */
    @Test
    void connectTimeoutToABlackholeRetriesThenAnswers503() throws Exception {
        ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closeLater.add(full);
        InetSocketAddress target = (InetSocketAddress) full.getLocalSocketAddress();
        boolean hangs = false;
        for (int i = 0; i < 16 && !hangs; i++) {
            Socket s = new Socket();
            closeLater.add(s);
            try {
                s.connect(target, 200);
            } catch (SocketTimeoutException e) {
                hangs = true;
            }
        }
        assertThat(hangs).as("precondition: connects to a full loopback accept queue hang (Linux, tcp_abort_on_overflow=0)")
                .isTrue();
        apply("timeout connect 200ms\nretries 1\ntimeout client 10s\ntimeout server 10s",
                "127.0.0.1:" + target.getPort());
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            long t0 = System.nanoTime();
            RawHttp.Response r = c.get("/", "x");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(503);
            assertThat(ms).isBetween(350L, 5_000L); // two attempts of 200 ms
        }
        var state = proxy.dataPlane.serverState("be", "web").orElseThrow();
        assertThat(state.connectErrors()).isEqualTo(2);
        assertThat(state.retries()).isEqualTo(1);
    }

    @Test
    void refusedConnectsAreRetriedThen503() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        apply("timeout connect 1s\nretries 2", "127.0.0.1:" + dead);
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/", "x").status()).isEqualTo(503);
        }
        assertThat(proxy.dataPlane.serverState("be", "web").orElseThrow().connectErrors()).isEqualTo(3);
    }
}
