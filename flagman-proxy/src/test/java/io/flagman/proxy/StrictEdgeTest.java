package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The strict HTTP/1 edge (RFC 9110/9112), as an outside client sees it: exact bytes on a raw socket to a real data
 * plane, a real upstream that records every byte it gets. A refused request gets its status, {@code Connection:
 * close} and a close, and the upstream receives nothing; a smuggling-shaped response is a 502 and its upstream
 * connection is not used again. docs/dataplane.md "Strictness" lists the same rules.
 */
class StrictEdgeTest {
    private static final String CHUNKED = "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

    private final RawBackend backend = new RawBackend();
    private final DatagramSocket syslog = openReceiver();
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

    @BeforeEach
    void setUp() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 5s
                  timeout server 5s
                frontend fe
                  bind 127.0.0.1:1
                  log 127.0.0.1:%d local0
                  option httplog
                  http-request return status 200 content-type text/plain string "answered-by-a-rule" if METH_CONNECT { hdr(host) -m str allowed:443 }
                  default_backend be
                backend be
                  server s1 %s
                """.formatted(syslog.getLocalPort(), backend.address()));
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        backend.close();
        syslog.close();
    }

    static String request(String name) {
        return switch (name) {
            case "chunk size 0x" -> CHUNKED + "0x5\r\nhello\r\n0\r\n\r\n";
            case "chunk size +" -> CHUNKED + "+5\r\nhello\r\n0\r\n\r\n";
            case "chunk size -" -> CHUNKED + "-5\r\nhello\r\n0\r\n\r\n";
            case "space before chunk size" -> CHUNKED + " 5\r\nhello\r\n0\r\n\r\n";
            case "tab before chunk size" -> CHUNKED + "\t5\r\nhello\r\n0\r\n\r\n";
            case "chunk size overflow" -> CHUNKED + "10000000000000005\r\nhello\r\n0\r\n\r\n";
            case "chunk size over 2^31" -> CHUNKED + "80000000\r\nhello\r\n0\r\n\r\n";
            case "chunk size line bare LF" -> CHUNKED + "5\nhello\r\n0\r\n\r\n";
            case "chunk data bare LF" -> CHUNKED + "5\r\nhello\n0\r\n\r\n";
            case "chunk data without CRLF" -> CHUNKED + "5\r\nhelloXX0\r\n\r\n";
            case "last-chunk bare LF" -> CHUNKED + "5\r\nhello\r\n0\n\r\n";
            case "trailer section bare LF" -> CHUNKED + "5\r\nhello\r\n0\r\n\n";
            case "obs-fold SP" -> "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n";
            case "obs-fold HTAB" -> "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n";
            case "obs-fold of Host" -> "GET / HTTP/1.1\r\nHost: x\r\n y\r\n\r\n";
            case "no Host in 1.1" -> "GET / HTTP/1.1\r\n\r\n";
            case "two Host" -> "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
            case "two equal Host" -> "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n";
            case "two Host in 1.0" -> "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n";
            case "Host comma list" -> "GET / HTTP/1.1\r\nHost: a,b\r\n\r\n";
            case "Host with space" -> "GET / HTTP/1.1\r\nHost: a b\r\n\r\n";
            case "Host with slash" -> "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n";
            case "Host with userinfo" -> "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n";
            case "Host bad port" -> "GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n";
            case "Host port over 65535" -> "GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n";
            case "Host byte 0x80" -> "GET / HTTP/1.1\r\nHost: \u00e9\r\n\r\n";
            case "target raw #" -> "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n";
            case "target byte 0x80" -> "GET /\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n";
            case "target CTL" -> "GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n";
            case "target DEL" -> "GET /\u007f HTTP/1.1\r\nHost: x\r\n\r\n";
            case "origin-form without /" -> "GET admin HTTP/1.1\r\nHost: x\r\n\r\n";
            case "asterisk-form with GET" -> "GET * HTTP/1.1\r\nHost: x\r\n\r\n";
            case "asterisk-form with a path" -> "OPTIONS */x HTTP/1.1\r\nHost: x\r\n\r\n";
            case "authority-form with GET" -> "GET x:80 HTTP/1.1\r\nHost: x\r\n\r\n";
            case "CONNECT origin-form" -> "CONNECT / HTTP/1.1\r\nHost: x\r\n\r\n";
            case "CONNECT without port" -> "CONNECT x HTTP/1.1\r\nHost: x\r\n\r\n";
            case "absolute-form with userinfo" -> "GET http://u@x/p HTTP/1.1\r\nHost: x\r\n\r\n";
            case "absolute-form Host mismatch" -> "GET http://y/p HTTP/1.1\r\nHost: x\r\n\r\n";
            case "absolute-form without authority" -> "GET http:///p HTTP/1.1\r\nHost: x\r\n\r\n";
            case "CONNECT" -> "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n";
            case "HTTP/2 preface" -> "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
            case "HTTP/2.0 request line" -> "GET / HTTP/2.0\r\nHost: x\r\n\r\n";
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "chunk size 0x|400", "chunk size +|400", "chunk size -|400", "space before chunk size|400",
        "tab before chunk size|400", "chunk size overflow|400", "chunk size over 2^31|400",
        "chunk size line bare LF|400", "chunk data bare LF|400", "chunk data without CRLF|400",
        "last-chunk bare LF|400", "trailer section bare LF|400",
        "obs-fold SP|400", "obs-fold HTAB|400", "obs-fold of Host|400",
        "no Host in 1.1|400", "two Host|400", "two equal Host|400", "two Host in 1.0|400", "Host comma list|400",
        "Host with space|400", "Host with slash|400", "Host with userinfo|400", "Host bad port|400",
        "Host port over 65535|400", "Host byte 0x80|400",
        "target raw #|400", "target byte 0x80|400", "target CTL|400", "target DEL|400",
        "origin-form without /|400", "asterisk-form with GET|400", "asterisk-form with a path|400",
        "authority-form with GET|400", "CONNECT origin-form|400", "CONNECT without port|400",
        "absolute-form with userinfo|400", "absolute-form Host mismatch|400",
        "absolute-form without authority|400",
        "CONNECT|405",
        "HTTP/2 preface|400", "HTTP/2.0 request line|505",
    })
    void refusedWithACloseAndNothingReachesTheServer(String name, int status) throws Exception {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send(request(name));
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(status);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(r.header("content-type")).isEqualTo("text/html");
            assertThat(r.body()).startsWith("<html><body><h1>" + status + " ");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertNothingReachedTheServer();
    }

    /** The same broken chunk on a connection whose previous request left a pooled upstream connection. */
    @Test
    void brokenChunkAfterAPooledExchangeSendsNothingMore() throws Exception {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/first", "x").body()).isEqualTo("ok");
            Await.until("the first request at the server", () -> backend.received().endsWith("\r\n\r\n"));
            String before = backend.received();
            c.send(request("chunk data without CRLF"));
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
            try (RawHttp control = new RawHttp(proxy.address("fe"))) {
                assertThat(control.get("/control", "x").status()).isEqualTo(200);
            }
            assertThat(backend.received()).startsWith(before).doesNotContain("POST /up");
        }
    }

    /** A good request and a bad one in one write: the first is served, the second refused, only the first sent. */
    @Test
    void pipelinedBadRequestAfterAGoodOne() throws Exception {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("HEAD /first HTTP/1.1\r\nHost: x\r\n\r\n" + request("obs-fold SP"));
            assertThat(c.read(true).status()).isEqualTo(200);
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(400);
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(backend.received()).startsWith("HEAD /first HTTP/1.1\r\n").doesNotContain("X-A");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "OPTIONS * HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|OPTIONS * HTTP/1.1",
        "GET http://x/p?q HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|GET http://x/p?q HTTP/1.1",
        "GET http://X:80/p HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|GET http://X:80/p HTTP/1.1",
        "GET https://x HTTP/1.1\\r\\nHost: x:443\\r\\n\\r\\n|GET https://x/ HTTP/1.1",
        "GET / HTTP/1.1\\r\\nHost:\\r\\n\\r\\n|GET / HTTP/1.1",
        "GET / HTTP/1.1\\r\\nHost: [::1]:8080\\r\\n\\r\\n|GET / HTTP/1.1",
        "GET / HTTP/1.1\\r\\nHost: a-b.example_1.com:80\\r\\n\\r\\n|GET / HTTP/1.1",
        "GET /a?b=c&d=%41;e(f)*+,!$'~ HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|GET /a?b=c&d=%41;e(f)*+,!$'~ HTTP/1.1",
        "GET / HTTP/1.0\\r\\n\\r\\n|GET / HTTP/1.1",
        "GET / HTTP/1.2\\r\\nHost: x\\r\\n\\r\\n|GET / HTTP/1.1",
        "POST / HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5 ;a=b\\r\\nhello\\r\\n0\\r\\n\\r\\n|POST / HTTP/1.1",
    })
    void wellFormedEdgeCasesAreForwarded(String raw, String requestLine) throws Exception {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send(raw.replace("\\r\\n", "\r\n"));
            assertThat(c.read(false).status()).isEqualTo(200);
        }
        assertThat(backend.received()).startsWith(requestLine + "\r\n");
    }

    /** The http-request rules see a CONNECT before the 405, so a rule may answer it; nothing forwards it. */
    @Test
    void connectAnsweredByAnHttpRequestRuleIsNotRefused() throws Exception {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("CONNECT allowed:443 HTTP/1.1\r\nHost: allowed:443\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("answered-by-a-rule");
        }
        assertNothingReachedTheServer();
    }

    @Test
    void refusalsAreLoggedAsBadRequests() throws Exception {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send(request("obs-fold SP"));
            assertThat(c.read(false).status()).isEqualTo(400);
        }
        assertThat(nextLogLine()).contains(" fe fe/<NOSRV> ").contains(" 400 ").contains(" PR-- ");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send(request("chunk data bare LF"));
            assertThat(c.read(false).status()).isEqualTo(400);
        }
        assertThat(nextLogLine()).contains(" 400 ").contains(" PR-- ").contains("\"POST /up HTTP/1.1\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CL and TE|HTTP/1.1 200 OK\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n",
        "two differing CL|HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nContent-Length: 3\\r\\n\\r\\nok",
        "two equal CL|HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\nContent-Length: 2\\r\\n\\r\\nok",
        "bare LF in the head|HTTP/1.1 200 OK\\nContent-Length: 2\\r\\n\\r\\nok",
        "obs-fold|HTTP/1.1 200 OK\\r\\nX-A: a\\r\\n b\\r\\nContent-Length: 2\\r\\n\\r\\nok",
        "obs-fold of Content-Length|HTTP/1.1 200 OK\\r\\nContent-Length:\\r\\n 2\\r\\n\\r\\nok",
        "chunk size 0x|HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0x2\\r\\nok\\r\\n0\\r\\n\\r\\n",
        "space before chunk size|HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n 2\\r\\nok\\r\\n0\\r\\n\\r\\n",
        "chunk size line bare LF|HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\nok\\r\\n0\\r\\n\\r\\n",
        "chunk size overflow|HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nffffffffffffffff2\\r\\nok\\r\\n0\\r\\n\\r\\n",
    })
    void smugglingShapedResponseIsA502AndItsConnectionIsNotReused(String name, String reply) throws Exception {
        backend.reply = reply.replace("\\r\\n", "\r\n").replace("\\n", "\n");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response r = c.get("/bad", "x");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).startsWith("<html><body><h1>502 ");
            backend.reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            // same client connection, so the same event loop and pool: a second upstream connection is needed
            assertThat(c.get("/next", "x").body()).isEqualTo("ok");
        }
        assertThat(backend.connections.get()).isEqualTo(2);
    }

    /**
     * Broken framing after good body bytes: the head and those bytes were already on their way to the client, so
     * the client gets a close without the last chunk (an incomplete message, never presented as complete, RFC 9112
     * §8), and the upstream connection is closed, not pooled.
     */
    @Test
    void brokenChunkAfterGoodBodyBytesEndsTheResponseIncomplete() throws Exception {
        backend.reply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n";
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send("GET /bad HTTP/1.1\r\nHost: x\r\n\r\n");
            String raw = new String(c.socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            // what was still unflushed when the bad chunk was decoded is dropped with the close
            assertThat(raw).doesNotContain("\r\n0\r\n\r\n").doesNotContain("502");
        }
        backend.reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/a", "x").body()).isEqualTo("ok");
            assertThat(c.get("/b", "x").body()).isEqualTo("ok");
        }
        assertThat(backend.connections.get()).isEqualTo(2);
    }

    @Test
    void aGoodResponseLeavesItsConnectionInThePool() throws Exception {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/a", "x").body()).isEqualTo("ok");
            assertThat(c.get("/b", "x").body()).isEqualTo("ok");
        }
        assertThat(backend.connections.get()).isEqualTo(1);
    }

    /** A control request on a fresh connection reaches the server, and it is the first thing the server got. */
    private void assertNothingReachedTheServer() throws Exception {
        try (RawHttp control = new RawHttp(proxy.address("fe"))) {
            assertThat(control.get("/control", "x").status()).isEqualTo(200);
        }
        assertThat(backend.received()).startsWith("GET /control HTTP/1.1\r\n");
    }

    private String nextLogLine() throws Exception {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        syslog.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}
