package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.model.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code nbthread}, frontend {@code maxconn} and {@code backlog}, observed from the outside: how many event loops
 * (upstream pools are per loop), what a connection over the limit gets, and the listen socket's accept queue.
 */
class ListenerLimitsTest {
    private final FakeBackend web = new FakeBackend("web");
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
        web.close();
    }

    private String config(String global, String frontendExtra) {
        return """
                global
                %s
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                %s
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(global.indent(2), frontendExtra.indent(2), web.address());
    }

    /** A data plane started the way {@code flagman run} starts it: worker threads from {@code nbthread}. */
    private DataPlane start(String text) throws ApplyException {
        Config cfg = ProxyFixture.parse(text);
        DataPlane dp = new DataPlane(cfg.global().nbthread());
        closeLater.add(dp);
        dp.apply(cfg);
        return dp;
    }

    private static InetSocketAddress address(DataPlane dp) {
        return new InetSocketAddress("127.0.0.1", dp.boundAddresses("fe").get(0).getPort());
    }

    /** {@code n} client connections one after the other, one request each. */
    private static void sequentialClients(DataPlane dp, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            try (RawHttp c = new RawHttp(address(dp))) {
                assertThat(c.get("/" + i, "x").body()).isEqualTo("web");
            }
        }
    }

    @Test
    void nbthreadOneServesEveryConnectionOnOneLoopSoOneUpstreamConnectionIsReused() throws Exception {
        DataPlane dp = start(config("nbthread 1", ""));
        sequentialClients(dp, 6);
        assertThat(web.requests).hasSize(6);
        assertThat(web.connections.get()).as("one loop, one pooled upstream connection").isEqualTo(1);
    }

    @Test
    void defaultThreadsAreOnePerCoreEachWithItsOwnUpstreamPool() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        DataPlane dp = start(config("", ""));
        // accepted connections go to the loops in turn: 2 × cores sequential clients use every loop twice
        sequentialClients(dp, 2 * cores);
        assertThat(web.requests).hasSize(2 * cores);
        assertThat(web.connections.get()).as("one pooled upstream connection per loop").isEqualTo(cores);
    }

    /**
     * At {@code maxconn} a frontend stops accepting, as HAProxy does: an extra client is not refused, it waits
     * (unanswered, nothing reaches a server) and is served as soon as a connection leaves.
     */
    @Test
    void frontendMaxconnMakesExtraConnectionsWaitAndServesThemWhenASlotFrees() throws Exception {
        DataPlane dp = start(config("nbthread 2", "maxconn 2"));
        RawHttp a = new RawHttp(address(dp));
        RawHttp b = new RawHttp(address(dp));
        assertThat(a.get("/a", "x").body()).isEqualTo("web");
        assertThat(b.get("/b", "x").body()).isEqualTo("web");
        try (RawHttp extra = new RawHttp(address(dp))) {
            extra.send("GET /extra HTTP/1.1\r\nHost: x\r\n\r\n");
            // the two connections within the limit keep working while the extra one waits
            assertThat(a.get("/a2", "x").body()).isEqualTo("web");
            assertThat(b.get("/b2", "x").body()).isEqualTo("web");
            assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/a", "/b", "/a2", "/b2");
            a.close();
            RawHttp.Response waited = extra.read(false);
            assertThat(waited.status()).isEqualTo(200);
            assertThat(waited.body()).isEqualTo("web");
        }
        // the extra connection left as well: new clients are accepted again
        try (RawHttp later = new RawHttp(address(dp))) {
            assertThat(later.get("/later", "x").body()).isEqualTo("web");
        }
        b.close();
        assertThat(web.requests).extracting(FakeBackend.Seen::uri)
                .containsExactly("/a", "/b", "/a2", "/b2", "/extra", "/later");
    }

    /** {@code global maxconn} bounds every frontend together: a client of another frontend waits too. */
    @Test
    void globalMaxconnIsSharedByEveryFrontend() throws Exception {
        DataPlane dp = start("""
                global
                  maxconn 2
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                frontend other
                  bind 127.0.0.1:2
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(web.address()));
        RawHttp a = new RawHttp(address(dp));
        RawHttp b = new RawHttp(address(dp));
        assertThat(a.get("/a", "x").body()).isEqualTo("web");
        assertThat(b.get("/b", "x").body()).isEqualTo("web");
        try (RawHttp elsewhere = new RawHttp(new InetSocketAddress("127.0.0.1",
                dp.boundAddresses("other").get(0).getPort()))) {
            elsewhere.send("GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(a.get("/a2", "x").body()).isEqualTo("web");
            assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/a", "/b", "/a2");
            b.close();
            assertThat(elsewhere.read(false).body()).isEqualTo("web");
        }
        a.close();
        assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/a", "/b", "/a2", "/elsewhere");
    }

    /** A frontend's {@code maxconn} counts the connections of all its binds together, as in HAProxy. */
    @Test
    void frontendMaxconnCountsEveryBindOfTheFrontend() throws Exception {
        DataPlane dp = start("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                  bind 127.0.0.1:2
                  maxconn 2
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(web.address()));
        List<InetSocketAddress> binds = dp.boundAddresses("fe");
        assertThat(binds).hasSize(2);
        RawHttp first = new RawHttp(binds.get(0));
        RawHttp second = new RawHttp(binds.get(1));
        assertThat(first.get("/first", "x").body()).isEqualTo("web");
        assertThat(second.get("/second", "x").body()).isEqualTo("web");
        try (RawHttp third = new RawHttp(binds.get(0))) {
            third.send("GET /third HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(second.get("/second2", "x").body()).isEqualTo("web");
            assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/first", "/second", "/second2");
            second.close(); // a slot frees on the other bind: the frontend-wide count lets the third in
            assertThat(third.read(false).body()).isEqualTo("web");
        }
        first.close();
        assertThat(web.requests).extracting(FakeBackend.Seen::uri)
                .containsExactly("/first", "/second", "/second2", "/third");
    }

    /** A TCP client that sends its query and half-closes while waiting for a slot still gets its answer. */
    @Test
    void aHalfClosedQueryThatWaitsForAMaxconnSlotIsNotLost() throws Exception {
        try (java.net.ServerSocket upstream = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            DataPlane dp = start("""
                    defaults
                      mode tcp
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                    listen dns
                      bind 127.0.0.1:1
                      maxconn 1
                      server s1 127.0.0.1:%d
                    """.formatted(upstream.getLocalPort()));
            InetSocketAddress dns = dp.boundAddresses("dns").getFirst();
            java.util.concurrent.CompletableFuture<Void> server = java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2; i++) {
                    try (java.net.Socket s = upstream.accept()) {
                        byte[] all = s.getInputStream().readAllBytes();
                        s.getOutputStream().write(("echo: " + new String(all, StandardCharsets.US_ASCII))
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            try (java.net.Socket first = new java.net.Socket(); java.net.Socket second = new java.net.Socket()) {
                first.connect(dns, 5000);
                first.setSoTimeout(10_000);
                second.connect(dns, 5000);
                second.setSoTimeout(10_000);
                second.getOutputStream().write("second".getBytes(StandardCharsets.US_ASCII));
                second.shutdownOutput(); // while 'first' holds the only slot
                first.getOutputStream().write("first".getBytes(StandardCharsets.US_ASCII));
                first.shutdownOutput();
                assertThat(new String(first.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("echo: first");
                assertThat(new String(second.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("echo: second");
            }
            server.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void backlogSetsTheListenQueue() throws Exception {
        DataPlane dp = start(config("nbthread 1", "backlog 7"));
        int port = address(dp).getPort();
        Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
        // LISTEN <Recv-Q> <Send-Q = backlog> <local> <peer>
        String[] cols = out.split("\\s+");
        assertThat(cols).as("ss output: %s", out).hasSizeGreaterThanOrEqualTo(4);
        assertThat(cols[0]).isEqualTo("LISTEN");
        assertThat(cols[2]).isEqualTo("7");
        sequentialClients(dp, 2);
    }
}
