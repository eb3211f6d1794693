package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code log 127.0.0.1:<port> local0} with {@code option httplog} / {@code option tcplog} /
 * {@code option dontlognull}: a real UDP syslog receiver gets one RFC 3164 datagram per request (HTTP) or per
 * connection (TCP), in HAProxy 2.6's formats, with the client address the PROXY header carried.
 */
class UdpAccessLogTest {
    /** {@code <134>} = local0 (16) × 8 + info (6); then HAProxy's RFC 3164 header. */
    private static final String HEADER = "<134>[A-Z][a-z]{2} [ 123][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} flagman\\[[0-9]+\\]: ";
    private static final String DATE = "\\[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}\\]";

    private final DatagramSocket receiver = openReceiver();
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();

    private static DatagramSocket openReceiver() {
        try {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            s.setSoTimeout(10_000);
            return s;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        web.close();
        receiver.close();
    }

    private String next() throws Exception {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        receiver.receive(p); // SocketTimeoutException after 10 s: no line
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void httplogSendsOneLinePerRequestWithTheProxyHeaderClient() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1 accept-proxy
                  log 127.0.0.1:%d local0
                  option httplog
                  use_backend be_deny if { path_beg /deny }
                  default_backend be
                backend be
                  server w1 %s
                backend be_deny
                  http-request deny
                """.formatted(receiver.getLocalPort(), web.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("PROXY TCP4 198.51.100.7 10.0.0.1 40123 80\r\n");
            assertThat(c.get("/hello?x=1", "x").body()).isEqualTo("web");
            String line = next();
            assertThat(line).matches(HEADER + "198\\.51\\.100\\.7:40123 " + DATE
                    + " fe be/w1 [0-9]+/[0-9]+/[0-9]+/[0-9]+/[0-9]+ 200 [0-9]+ - - ---- [0-9]+/[0-9]+/[0-9]+/[0-9]+/0"
                    + " 0/0 \"GET /hello\\?x=1 HTTP/1\\.1\"");
            assertThat(c.get("/deny/me", "x").status()).isEqualTo(403);
            assertThat(next()).matches(HEADER + "198\\.51\\.100\\.7:40123 " + DATE
                    + " fe be_deny/<NOSRV> .* 403 [0-9]+ - - PR-- .* \"GET /deny/me HTTP/1\\.1\"");
        }
        assertThat(web.requests).hasSize(1);
    }

    /** {@code %B} is every byte sent to the client, status line and headers included, as HAProxy counts it. */
    @Test
    void bytesReadCountsTheWholeResponseAsTheClientReceivedIt() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                  log 127.0.0.1:%d local0
                  option httplog
                  use_backend be_deny if { path_beg /deny }
                  default_backend be
                backend be
                  server w1 %s
                backend be_deny
                  http-request deny
                """.formatted(receiver.getLocalPort(), web.address()));
        for (String path : new String[] {"/relayed", "/deny/local"}) {
            int received;
            try (RawHttp c = new RawHttp(proxy.address("fe"))) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                received = c.socket.getInputStream().readAllBytes().length;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile(" [0-9]+/[0-9-]+/[0-9-]+/[0-9-]+/[0-9]+ ([0-9]{3}) ([0-9]+) ").matcher(next());
            assertThat(m.find()).isTrue();
            assertThat(Long.parseLong(m.group(2))).as("%%B for %s", path).isEqualTo(received);
        }
    }

    @Test
    void tcplogAndDontlognullForATcpListen() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            proxy.apply("""
                    defaults
                      mode tcp
                      timeout connect 2s
                      timeout client 10s
                      timeout server 10s
                    listen echo
                      bind 127.0.0.1:1 accept-proxy
                      log 127.0.0.1:%d local0
                      option tcplog
                      option dontlognull
                      server s1 127.0.0.1:%d
                    """.formatted(receiver.getLocalPort(), upstream.getLocalPort()));
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = upstream.accept()) {
                        byte[] all = s.getInputStream().readAllBytes();
                        s.getOutputStream().write(("echo:" + new String(all, StandardCharsets.US_ASCII))
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }
            });
            // a null connection: no payload either way (dontlognull: not logged)
            try (Socket c = new Socket()) {
                c.connect(proxy.address("echo"), 5000);
                c.setSoTimeout(10_000);
                c.getOutputStream().write("PROXY TCP4 192.0.2.10 10.0.0.1 1111 80\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                c.shutdownOutput();
                assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("echo:");
            }
            try (Socket c = new Socket()) {
                c.connect(proxy.address("echo"), 5000);
                c.setSoTimeout(10_000);
                c.getOutputStream().write("PROXY TCP4 192.0.2.11 10.0.0.1 2222 80\r\nping"
                        .getBytes(StandardCharsets.US_ASCII));
                c.shutdownOutput();
                assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("echo:ping");
            }
            server.get(10, TimeUnit.SECONDS);
            // the first line to arrive is the second connection's: the null one was not logged
            String line = next();
            assertThat(line).matches(HEADER + "192\\.0\\.2\\.11:2222 " + DATE
                    + " echo echo/s1 [0-9]+/[0-9]+/[0-9]+ 9 -- [0-9]+/[0-9]+/[0-9]+/[0-9]+/0 0/0");
        }
    }
}
