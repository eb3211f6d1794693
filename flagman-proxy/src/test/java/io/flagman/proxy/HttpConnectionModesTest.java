package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection management on both sides ({@code http-keep-alive} default, {@code option http-server-close},
 * {@code option httpclose}), hop-by-hop header removal and framing re-serialisation, and responses without a body
 * (1xx, 204, 304): what the client and the upstream saw.
 */
class HttpConnectionModesTest {
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();

    @AfterEach
    void tearDown() {
        proxy.close();
        web.close();
    }

    private void apply(String frontendExtra, String backendExtra) throws ApplyException {
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                %s
                  default_backend be
                backend be
                %s
                  server w1 %s
                """.formatted(frontendExtra, backendExtra, web.address()));
    }

    /** Three requests on one client connection; returns the responses. */
    private List<RawHttp.Response> threeRequests(RawHttp c) throws Exception {
        return List.of(c.get("/1", "x"), c.get("/2", "x"), c.get("/3", "x"));
    }

    @Test
    void defaultKeepAliveReusesBothConnections() throws Exception {
        apply("", "");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (RawHttp.Response r : threeRequests(c)) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("connection")).isNull();
            }
        }
        assertThat(web.requests).hasSize(3);
        assertThat(web.connections.get()).isEqualTo(1);
        assertThat(web.requests).allSatisfy(s -> assertThat(s.header("Connection")).isNull());
    }

    @Test
    void httpServerCloseInTheFrontendClosesTheServerSideOnlyAfterEachResponse() throws Exception {
        apply("  option http-server-close", "");
        serverCloseOnly();
    }

    @Test
    void httpServerCloseInTheBackendClosesTheServerSideOnlyAfterEachResponse() throws Exception {
        apply("", "  option http-server-close");
        serverCloseOnly();
    }

    private void serverCloseOnly() throws Exception {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (RawHttp.Response r : threeRequests(c)) {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("connection")).as("client side stays keep-alive").isNull();
            }
            assertThat(c.socket.isClosed()).isFalse();
        }
        assertThat(web.requests).hasSize(3);
        assertThat(web.connections.get()).as("one server connection per request").isEqualTo(3);
        assertThat(web.requests).allSatisfy(s -> assertThat(s.header("Connection")).isEqualToIgnoringCase("close"));
        Await.until("every server connection closed",
                () -> web.requests.stream().noneMatch(s -> s.channel().isActive()));
    }

    @Test
    void httpCloseInTheFrontendClosesBothSides() throws Exception {
        apply("  option httpclose", "");
        bothClosed();
    }

    @Test
    void httpCloseInTheBackendClosesBothSides() throws Exception {
        apply("", "  option httpclose");
        bothClosed();
    }

    private void bothClosed() throws Exception {
        for (int i = 0; i < 2; i++) {
            try (RawHttp c = new RawHttp(proxy.address("fe"))) {
                RawHttp.Response r = c.get("/" + i, "x");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("connection")).isEqualToIgnoringCase("close");
                assertThat(c.closedByPeer()).as("client connection closed after the response").isTrue();
            }
        }
        assertThat(web.requests).hasSize(2);
        assertThat(web.connections.get()).isEqualTo(2);
        assertThat(web.requests).allSatisfy(s -> assertThat(s.header("Connection")).isEqualToIgnoringCase("close"));
        Await.until("every server connection closed",
                () -> web.requests.stream().noneMatch(s -> s.channel().isActive()));
    }

    @Test
    void hopByHopRequestHeadersAreRemovedAndChunkedFramingReachesTheServerIntact() throws Exception {
        apply("", "");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("POST /up HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Conn-Listed\r\nX-Conn-Listed: 1\r\n"
                    + "Keep-Alive: timeout=300\r\nProxy-Connection: keep-alive\r\nTE: trailers, deflate\r\n"
                    + "Upgrade: h2c\r\nX-End-To-End: kept\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            c.send("PUT /cl HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(c.read(false).status()).isEqualTo(200);
            assertThat(c.get("/after", "x").status()).isEqualTo(200);
        }
        FakeBackend.Seen post = web.requests.get(0);
        assertThat(post.body()).isEqualTo("abcdefg");
        assertThat(post.header("X-End-To-End")).isEqualTo("kept");
        for (String gone : List.of("X-Conn-Listed", "Keep-Alive", "Proxy-Connection", "Upgrade", "Connection")) {
            assertThat(post.header(gone)).as(gone).isNull();
        }
        assertThat(post.headers("TE")).as("TE keeps only 'trailers'").containsExactly("trailers");
        // one valid framing: chunked, or a Content-Length equal to the body
        boolean chunked = "chunked".equalsIgnoreCase(post.header("Transfer-Encoding"));
        if (chunked) {
            assertThat(post.header("Content-Length")).isNull();
        } else {
            assertThat(post.headers("Content-Length")).containsExactly("7");
        }
        FakeBackend.Seen put = web.requests.get(1);
        assertThat(put.body()).isEqualTo("hello");
        assertThat(put.headers("Content-Length")).containsExactly("5");
        assertThat(put.header("Transfer-Encoding")).isNull();
        assertThat(web.requests.get(2).header("Content-Length")).isIn(null, "0");
        assertThat(web.connections.get()).isEqualTo(1);
    }

    @Test
    void hopByHopResponseHeadersAreRemoved() throws Exception {
        web.responder = req -> {
            var r = FakeBackend.ok("web", "body");
            r.headers().set("Connection", "X-Resp-Listed").set("X-Resp-Listed", "1").set("Keep-Alive", "timeout=5")
                    .set("X-Kept", "yes");
            return r;
        };
        apply("", "");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response r = c.get("/", "x");
            assertThat(r.body()).isEqualTo("body");
            assertThat(r.header("x-kept")).isEqualTo("yes");
            assertThat(r.header("x-resp-listed")).isNull();
            assertThat(r.header("keep-alive")).isNull();
            assertThat(r.header("content-length")).isEqualTo("4");
            assertThat(c.get("/again", "x").body()).isEqualTo("body");
        }
        assertThat(web.connections.get()).isEqualTo(1);
    }

    @Test
    void noContentAndNotModifiedHaveNoBodyAndKeepAliveContinues() throws Exception {
        web.responder = req -> {
            if (req.uri().equals("/204")) {
                var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
                r.headers().set("X-Status", "204");
                return r;
            }
            if (req.uri().equals("/304")) {
                var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                        Unpooled.EMPTY_BUFFER);
                // a 304 may carry the entity's Content-Length: there is still no body to wait for
                r.headers().set("ETag", "\"v1\"").set("Content-Length", "10");
                return r;
            }
            return FakeBackend.ok("web", "full");
        };
        apply("", "");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response r = c.get("/204", "x");
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("x-status")).isEqualTo("204");
            assertThat(r.header("transfer-encoding")).isNull();
            c.send("GET /304 HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"v1\"\r\n\r\n");
            r = c.read(false);
            assertThat(r.status()).isEqualTo(304);
            assertThat(r.header("etag")).isEqualTo("\"v1\"");
            assertThat(r.header("transfer-encoding")).isNull();
            // no stray body bytes: the next response parses and is the right one
            assertThat(c.get("/full", "x").body()).isEqualTo("full");
        }
        assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/204", "/304", "/full");
        assertThat(web.connections.get()).isEqualTo(1);
    }

    @Test
    void earlyHintsAreRelayedBeforeTheFinalResponseAndKeepAliveContinues() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            proxy.apply("""
                    defaults
                      mode http
                      timeout client 10s
                      timeout server 10s
                    frontend fe
                      bind 127.0.0.1:1
                      default_backend be
                    backend be
                      server raw 127.0.0.1:%d
                    """.formatted(upstream.getLocalPort()));
            CompletableFuture<List<String>> server = CompletableFuture.supplyAsync(() -> {
                try (Socket s = upstream.accept()) {
                    s.setSoTimeout(10_000);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    List<String> heads = new java.util.ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        StringBuilder head = new StringBuilder();
                        while (!head.toString().endsWith("\r\n\r\n")) {
                            int ch = in.read();
                            if (ch < 0) {
                                throw new IllegalStateException("closed after " + heads + head);
                            }
                            head.append((char) ch);
                        }
                        heads.add(head.toString());
                        String resp = i == 0
                                ? "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                                        + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond";
                        out.write(resp.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    return heads;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (RawHttp c = new RawHttp(proxy.address("fe"))) {
                c.send("GET /hints HTTP/1.1\r\nHost: x\r\n\r\n");
                RawHttp.Response hints = c.read(false);
                assertThat(hints.status()).isEqualTo(103);
                assertThat(hints.header("link")).isEqualTo("</style.css>; rel=preload");
                RawHttp.Response fin = c.read(false);
                assertThat(fin.status()).isEqualTo(200);
                assertThat(fin.body()).isEqualTo("final");
                RawHttp.Response next = c.get("/next", "x");
                assertThat(next.body()).isEqualTo("second");
            }
            List<String> heads = server.get(10, TimeUnit.SECONDS);
            assertThat(heads.get(0)).startsWith("GET /hints HTTP/1.1\r\n");
            assertThat(heads.get(1)).startsWith("GET /next HTTP/1.1\r\n");
        }
    }
}
