package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpUpstreamBehaviourTest {
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();

    @AfterEach
    void tearDown() {
        proxy.close();
        web.close();
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void chunkedBodiesStreamBothWaysAndHeadHasNoBody() throws Exception {
        web.responder = req -> {
            var r = FakeBackend.ok("web", "got " + req.content().readableBytes());
            r.headers().remove("content-length").set("transfer-encoding", "chunked");
            return r;
        };
        proxy.apply("""
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(web.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Response cont = c.read(false);
            assertThat(cont.status()).isEqualTo(100);
            String chunk = "y".repeat(100_000);
            for (int i = 0; i < 10; i++) {
                c.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            c.send("0\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.body()).isEqualTo("got 1000000");
            c.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read(true).status()).isEqualTo(200);
            assertThat(c.get("/after-head", "x").body()).isEqualTo("got 0");
        }
        assertThat(web.requests.get(0).body()).hasSize(1_000_000);
    }

    @Test
    void connectFailureIsRetriedAndRedispatched() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:1
                  use_backend only_dead if { path_beg /dead }
                  default_backend be
                backend be
                  balance first
                  retries 2
                  option redispatch
                  server dead 127.0.0.1:%d
                  server live %s
                backend only_dead
                  retries 1
                  server dead 127.0.0.1:%d
                """.formatted(deadPort(), web.address(), deadPort()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/", "x").body()).isEqualTo("web");
            assertThat(c.get("/dead", "x").status()).isEqualTo(503);
        }
        assertThat(proxy.dataPlane.serverState("be", "dead").orElseThrow().connectErrors()).isEqualTo(2);
        assertThat(proxy.dataPlane.serverState("be", "dead").orElseThrow().redispatches()).isEqualTo(1);
    }

    @Test
    void maxconnQueuesThenTimesOut() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout queue 3s
                frontend fe
                  bind 127.0.0.1:1
                  use_backend short if { path_beg /short }
                  default_backend be
                backend be
                  server w1 %s maxconn 1
                backend short
                  timeout queue 200ms
                  server w1 %s maxconn 1
                """.formatted(web.address(), web.address()));
        web.hold = true;
        try (RawHttp a = new RawHttp(proxy.address("fe")); RawHttp b = new RawHttp(proxy.address("fe"))) {
            a.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            Await.until("first request at the backend", () -> web.requests.size() == 1);
            b.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            Await.until("second request queued", () -> proxy.dataPlane.statistics().stream()
                    .filter(r -> r.proxy().equals("be") && r.object() == StatObject.BACKEND)
                    .mapToLong(r -> r.number(StatField.QCUR)).sum() == 1);
            assertThat(web.requests).hasSize(1);
            web.hold = false;
            web.releaseHeld();
            assertThat(a.read(false).status()).isEqualTo(200);
            assertThat(b.read(false).status()).isEqualTo(200);
            assertThat(web.requests).hasSize(2);
            web.hold = true;
            a.send("GET /short/a HTTP/1.1\r\nHost: x\r\n\r\n");
            Await.until("third request at the backend", () -> web.requests.size() == 3);
            b.send("GET /short/b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(b.read(false).status()).isEqualTo(503);
            web.hold = false;
            web.releaseHeld();
            assertThat(a.read(false).status()).isEqualTo(200);
        }
        assertThat(web.requests).hasSize(3);
    }

    @Test
    void webSocketUpgradeBecomesATunnel() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            proxy.apply("""
                    defaults
                      mode http
                    frontend fe
                      bind 127.0.0.1:1
                      default_backend be
                    backend be
                      server ws 127.0.0.1:%d
                    """.formatted(upstream.getLocalPort()));
            CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
                try (Socket s = upstream.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        head.append((char) in.read());
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    byte[] buf = in.readNBytes(5);
                    out.write(("echo:" + new String(buf, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return head.toString();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (RawHttp c = new RawHttp(proxy.address("fe"))) {
                c.send("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
                RawHttp.Response r = c.read(true);
                assertThat(r.status()).isEqualTo(101);
                c.send("hello");
                byte[] back = c.socket.getInputStream().readNBytes(10);
                assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("echo:hello");
            }
            String head = server.get(10, TimeUnit.SECONDS);
            assertThat(head).containsIgnoringCase("upgrade: websocket").containsIgnoringCase("connection: upgrade");
        }
    }
}
