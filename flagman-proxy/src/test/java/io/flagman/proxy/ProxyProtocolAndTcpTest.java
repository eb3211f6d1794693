package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyProtocolAndTcpTest {
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();

    @AfterEach
    void tearDown() {
        proxy.close();
        web.close();
    }

    private void httpWithAcceptProxy() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1 accept-proxy
                  option forwardfor
                  acl blocked src 203.0.113.0/24
                  http-request deny if blocked
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(web.address()));
    }

    @Test
    void proxyV1AddressIsWhatAclsAndForwardForSee() throws Exception {
        httpWithAcceptProxy();
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("PROXY TCP4 198.51.100.7 10.0.0.1 40000 80\r\n");
            assertThat(c.get("/", "x").status()).isEqualTo(200);
        }
        assertThat(web.last().header("X-Forwarded-For")).isEqualTo("198.51.100.7");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("PROXY TCP4 203.0.113.9 10.0.0.1 40000 80\r\n");
            assertThat(c.get("/", "x").status()).isEqualTo(403);
        }
    }

    @Test
    void proxyV2IsAccepted() throws Exception {
        httpWithAcceptProxy();
        byte[] header = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "21" + "11" + "000c"
                + "c6336408" + "0a000001" + "9c40" + "0050");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send(header);
            assertThat(c.get("/", "x").status()).isEqualTo(200);
        }
        assertThat(web.last().header("X-Forwarded-For")).isEqualTo("198.51.100.8");
    }

    @Test
    void missingOrMalformedHeaderCloses() throws Exception {
        httpWithAcceptProxy();
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.closedByPeer()).isTrue();
        }
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("PROXY TCP4 999.1.1.1 10.0.0.1 1 2\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(web.requests).isEmpty();
    }

    @Test
    void sendProxyReachesTheUpstream() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            proxy.apply("""
                    defaults
                      mode tcp
                    listen relay
                      bind 127.0.0.1:1 accept-proxy
                      server s1 127.0.0.1:%d send-proxy
                    """.formatted(upstream.getLocalPort()));
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (Socket s = upstream.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder b = new StringBuilder();
                    int ch;
                    while ((ch = in.read()) != -1 && ch != '\n') {
                        b.append((char) ch);
                    }
                    return b.toString();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket c = new Socket()) {
                c.connect(proxy.address("relay"), 5000);
                c.getOutputStream().write("PROXY TCP4 192.0.2.1 192.0.2.2 1234 80\r\n".getBytes(StandardCharsets.US_ASCII));
                c.getOutputStream().flush();
                assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("PROXY TCP4 192.0.2.1 192.0.2.2 1234 80\r");
            }
        }
    }

    @Test
    void tcpRelaysBothWaysWithHalfClose() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            proxy.apply("""
                    defaults
                      mode tcp
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                    listen echo
                      bind 127.0.0.1:1
                      option tcplog
                      server s1 127.0.0.1:%d
                    """.formatted(upstream.getLocalPort()));
            // upstream: read everything until the client's FIN, then answer with the reversed text and close
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Socket s = upstream.accept()) {
                    byte[] all = s.getInputStream().readAllBytes();
                    String reply = new StringBuilder(new String(all, StandardCharsets.US_ASCII)).reverse().toString();
                    s.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket c = new Socket()) {
                c.connect(proxy.address("echo"), 5000);
                c.setSoTimeout(10_000);
                OutputStream out = c.getOutputStream();
                String big = "x".repeat(300_000) + "END";
                out.write(big.getBytes(StandardCharsets.US_ASCII));
                c.shutdownOutput();
                byte[] back = c.getInputStream().readAllBytes();
                assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo(
                        new StringBuilder(big).reverse().toString());
            }
            server.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aQueryHalfClosedBeforeTheServerConnectionExistsIsStillRelayed() throws Exception {
        // DNS over TCP clients send their query and shut their side at once: both the bytes and the FIN reach
        // Flagman before its server connection is up, and both must still be delivered.
        try (ServerSocket upstream = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            proxy.apply("""
                    defaults
                      mode tcp
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                    listen dns
                      bind 127.0.0.1:1
                      server s1 127.0.0.1:%d
                    """.formatted(upstream.getLocalPort()));
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 5; i++) {
                    try (Socket s = upstream.accept()) {
                        byte[] all = s.getInputStream().readAllBytes();
                        s.getOutputStream().write(("echo: " + new String(all, StandardCharsets.US_ASCII))
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }
            });
            for (int i = 0; i < 5; i++) {
                try (Socket c = new Socket()) {
                    c.connect(proxy.address("dns"), 5000);
                    c.setSoTimeout(10_000);
                    c.getOutputStream().write(("query " + i).getBytes(StandardCharsets.US_ASCII));
                    c.shutdownOutput();
                    assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("echo: query " + i);
                }
            }
            server.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void bindFailureRejectsTheWholeApply() throws Exception {
        httpWithAcceptProxy();
        InetSocketAddress before = proxy.address("fe");
        try (ServerSocket taken = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            String cfg = """
                    defaults
                      mode http
                    frontend fe
                      bind 127.0.0.1:1
                      default_backend be
                    frontend other
                      bind 127.0.0.1:%d
                      default_backend be
                    backend be
                      server w1 %s
                    """.formatted(taken.getLocalPort(), web.address());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> proxy.apply(cfg))
                    .isInstanceOf(ApplyException.class).hasMessageContaining("cannot bind");
        }
        assertThat(proxy.address("fe")).isEqualTo(before);
        assertThat(proxy.dataPlane.boundAddresses("other")).isEmpty();
        try (RawHttp c = new RawHttp(before)) {
            c.send("PROXY TCP4 198.51.100.7 10.0.0.1 40000 80\r\n");
            assertThat(c.get("/", "x").status()).isEqualTo(200);
        }
    }
}
