package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that shut down their sending side (a FIN after the request: {@code socat}, {@code nc -N}, health
 * checkers, scripts) get their response, in every phase of the exchange: first request with no pooled upstream
 * connection yet, keep-alive and pipelined requests, request bodies, queued for a server slot, connecting,
 * response streaming. Only a request that cannot complete (its body cut by the FIN) is aborted. Driven with raw
 * sockets ({@link Socket#shutdownOutput()}) and the real {@code socat} and {@code nc} programs.
 */
class HttpHalfCloseTest {
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final DatagramSocket logs = openLogReceiver();

    private static DatagramSocket openLogReceiver() {
        try {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            s.setSoTimeout(10_000);
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next access log line (raw format: no syslog header). */
    private String nextLogLine() throws IOException {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        logs.receive(p); // SocketTimeoutException after 10 s: no line
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeLater.reversed()) {
            c.close();
        }
        proxy.close();
        web.close();
        logs.close();
    }

    private void apply(String backendExtra, String server) throws ApplyException {
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                  timeout queue 10s
                frontend fe
                  bind 127.0.0.1:1
                  log 127.0.0.1:%d format raw local0
                  option httplog
                  http-request return status 404 content-type text/plain string nothing-here if { path /local }
                  default_backend be
                backend be
                %s
                  server w1 %s
                """.formatted(logs.getLocalPort(), backendExtra.indent(2), server));
    }

    /** Sends {@code request}, shuts the sending side down, reads until the proxy closes. */
    private static String sendThenFin(InetSocketAddress to, String request) throws IOException {
        try (Socket s = connect(to)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theFirstRequestWithConnectionCloseThenFinGetsTheServersResponse() throws Exception {
        apply("", web.address());
        String out = sendThenFin(proxy.address("fe"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nweb");
        assertThat(web.requests).hasSize(1);
    }

    @Test
    void aLocalResponseThenFinIsServedToo() throws Exception {
        apply("", web.address());
        String out = sendThenFin(proxy.address("fe"), "GET /local HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 404 ").endsWith("nothing-here");
        assertThat(web.requests).isEmpty();
    }

    @Test
    void aKeepAliveRequestThenFinIsAnsweredThenTheConnectionCloses() throws Exception {
        apply("", web.address());
        String out = sendThenFin(proxy.address("fe"), "GET /ka HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").endsWith("web");
        assertThat(web.last().uri()).isEqualTo("/ka");
    }

    @Test
    void pipelinedRequestsThenFinAreAllAnsweredInOrder() throws Exception {
        apply("", web.address());
        web.responder = req -> FakeBackend.ok("web", "body of " + req.uri());
        String out = sendThenFin(proxy.address("fe"), "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /local HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(count(out, "HTTP/1.1 ")).isEqualTo(3);
        assertThat(out.indexOf("body of /1")).isLessThan(out.indexOf("nothing-here"));
        assertThat(out.indexOf("nothing-here")).isLessThan(out.indexOf("body of /3"));
        assertThat(out).endsWith("body of /3");
        assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/1", "/3");
    }

    @Test
    void aCompleteBodyThenFinIsForwardedAndAnswered() throws Exception {
        apply("", web.address());
        web.responder = req -> FakeBackend.ok("web", "got " + req.content().toString(StandardCharsets.UTF_8));
        String out = sendThenFin(proxy.address("fe"),
                "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").endsWith("got hello");
        out = sendThenFin(proxy.address("fe"), "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").endsWith("got abcde");
        assertThat(web.requests).extracting(FakeBackend.Seen::body).containsExactly("hello", "abcde");
    }

    /** The FIN cuts the body: the request can never complete, so it is aborted (HAProxy: no response, CL). */
    @Test
    void aBodyCutByTheFinIsAbortedAndNeverReachesTheServer() throws Exception {
        apply("", web.address());
        assertThat(sendThenFin(proxy.address("fe"),
                "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")).isEmpty();
        assertThat(sendThenFin(proxy.address("fe"),
                "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")).isEmpty();
        // the server and the proxy are fine: the next client is served
        assertThat(sendThenFin(proxy.address("fe"), "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).endsWith("web");
        assertThat(web.requests).extracting(FakeBackend.Seen::method).containsExactly("GET");
    }

    /** A body cut by the FIN after it started streaming to the server: the upstream is closed, not reused. */
    @Test
    void aBodyCutByTheFinWhileUploadingClosesBothSides() throws Exception {
        apply("", web.address());
        try (Socket s = connect(proxy.address("fe"))) {
            OutputStream out = s.getOutputStream();
            out.write("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Response warm = readResponse(s);
            assertThat(warm.status()).isEqualTo(200);
            out.write("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhel"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Await.until("the upload reached the pooled connection",
                    () -> proxy.dataPlane.serverState("be", "w1").orElseThrow().activeConnections() == 1);
            s.shutdownOutput();
            assertThat(s.getInputStream().readAllBytes()).isEmpty();
        }
        Await.until("the server slot is free",
                () -> proxy.dataPlane.serverState("be", "w1").orElseThrow().activeConnections() == 0);
        assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/warm");
    }

    private static RawHttp.Response readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before a response head: " + head);
            }
            head.append((char) c);
        }
        Matcher m = Pattern.compile("(?i)content-length: *([0-9]+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        String body = new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        return new RawHttp.Response(Integer.parseInt(head.substring(9, 12)), java.util.Map.of(), body);
    }

    @Test
    void aRequestThatHalfClosesWhileQueuedIsServedWhenASlotFrees() throws Exception {
        apply("", web.address() + " maxconn 1");
        web.hold = true;
        try (Socket first = connect(proxy.address("fe")); Socket second = connect(proxy.address("fe"))) {
            first.getOutputStream().write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Await.until("first request at the server", () -> web.requests.size() == 1);
            second.getOutputStream().write("GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            Await.until("second request queued", () -> queued() == 1);
            second.shutdownOutput();
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(second));
            web.hold = false;
            web.releaseHeld();
            assertThat(readResponse(first).status()).isEqualTo(200);
            assertThat(new String(answer.get(10, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 200 OK\r\n").endsWith("web");
        }
        assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/a", "/b");
    }

    /** Requests waiting in backend 'be''s queue: its BACKEND row's {@code qcur}. */
    private int queued() {
        return (int) proxy.dataPlane.statistics().stream()
                .filter(r -> r.proxy().equals("be") && r.object() == io.flagman.proxy.stats.StatObject.BACKEND)
                .mapToLong(r -> r.number(io.flagman.proxy.stats.StatField.QCUR)).sum();
    }

    private static byte[] readAll(Socket s) {
        try {
            return s.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A connect that hangs (a loopback listener whose accept queue is full drops SYNs): the client that half-closed
     * meanwhile still gets the outcome of the connect, here the 503 after {@code timeout connect}.
     */
    @Test
    void aRequestThatHalfClosesWhileConnectingGetsTheConnectsOutcome() throws Exception {
        InetSocketAddress blackhole = blackhole();
        apply("timeout connect 300ms\nretries 0", "127.0.0.1:" + blackhole.getPort());
        String out = sendThenFin(proxy.address("fe"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(out).startsWith("HTTP/1.1 503 ");
    }

    /** A listener whose accept queue is full: connects to it hang (Linux, {@code tcp_abort_on_overflow=0}). */
    private InetSocketAddress blackhole() throws IOException {
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
        assertThat(hangs).as("precondition: connects to a full loopback accept queue hang").isTrue();
        return target;
    }

    /** The client half-closes while the response streams: it still gets all of it, then the proxy closes. */
    @Test
    void aHalfCloseWhileTheResponseStreamsGetsAllOfIt() throws Exception {
        ServerSocket upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        closeLater.add(upstream);
        CountDownLatch finSent = new CountDownLatch(1);
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
            try (Socket s = upstream.accept()) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                }
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertThat(finSent.await(10, TimeUnit.SECONDS)).isTrue();
                out.write("6\r\nsecond\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                in.read(); // until the proxy closes or pools the connection
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        apply("", "127.0.0.1:" + upstream.getLocalPort());
        try (Socket c = connect(proxy.address("fe"))) {
            c.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = c.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("first\r\n")) {
                int b = in.read();
                assertThat(b).as("stream cut after: " + seen).isNotNegative();
                seen.append((char) b);
            }
            c.shutdownOutput();
            finSent.countDown();
            seen.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            assertThat(seen.toString()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("6\r\nsecond\r\n0\r\n\r\n");
        }
        proxy.close();
        server.get(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- option abortonclose

    /** With {@code option abortonclose} a queued request whose client half-closed is dropped (HAProxy's CQ). */
    @Test
    void abortOnCloseDropsAHalfClosedRequestWhileQueued() throws Exception {
        apply("option abortonclose", web.address() + " maxconn 1");
        web.hold = true;
        try (Socket first = connect(proxy.address("fe")); Socket second = connect(proxy.address("fe"))) {
            first.getOutputStream().write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Await.until("first request at the server", () -> web.requests.size() == 1);
            second.getOutputStream().write("GET /b HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Await.until("second request queued", () -> queued() == 1);
            second.shutdownOutput();
            assertThat(second.getInputStream().readAllBytes()).as("no response").isEmpty();
            assertThat(nextLogLine()).contains(" fe be/<NOSRV> ").contains(" -1 0 - - CQ-- ")
                    .endsWith("\"GET /b HTTP/1.1\"");
            web.hold = false;
            web.releaseHeld();
            assertThat(readResponse(first).status()).isEqualTo(200);
        }
        assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/a");
    }

    /** With {@code option abortonclose} a half-closed request is dropped while its connect is pending (CC). */
    @Test
    void abortOnCloseDropsAHalfClosedRequestWhileConnecting() throws Exception {
        InetSocketAddress blackhole = blackhole();
        apply("option abortonclose\ntimeout connect 10s", "127.0.0.1:" + blackhole.getPort());
        long t0 = System.nanoTime();
        assertThat(sendThenFin(proxy.address("fe"), "GET /c HTTP/1.1\r\nHost: x\r\n\r\n")).isEmpty();
        assertThat(nextLogLine()).contains(" fe be/w1 ").contains(" -1 0 - - CC-- ").endsWith("\"GET /c HTTP/1.1\"");
        assertThat(System.nanoTime() - t0).as("aborted before timeout connect")
                .isLessThan(TimeUnit.SECONDS.toNanos(10));
        assertThat(proxy.dataPlane.serverState("be", "w1").orElseThrow().activeConnections()).isZero();
    }

    /** Once the server has the request, abortonclose no longer applies: the response is delivered. */
    @Test
    void abortOnCloseStillDeliversTheResponseOnceTheServerHasTheRequest() throws Exception {
        apply("option abortonclose", web.address());
        web.hold = true;
        try (Socket c = connect(proxy.address("fe"))) {
            c.getOutputStream().write("GET /d HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Await.until("the request at the server", () -> web.requests.size() == 1);
            c.shutdownOutput();
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(c));
            web.hold = false;
            web.releaseHeld();
            assertThat(new String(answer.get(10, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1))
                    .startsWith("HTTP/1.1 200 OK\r\n").endsWith("web");
        }
    }

    /** {@code no option abortonclose} in the backend undoes the defaults' (the request is served). */
    @Test
    void noOptionAbortOnCloseInTheBackendUndoesTheDefaults() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  option abortonclose
                  timeout client 10s
                  timeout server 10s
                  timeout queue 10s
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  no option abortonclose
                  server w1 %s maxconn 1
                """.formatted(web.address()));
        web.hold = true;
        try (Socket first = connect(proxy.address("fe")); Socket second = connect(proxy.address("fe"))) {
            first.getOutputStream().write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Await.until("first request at the server", () -> web.requests.size() == 1);
            second.getOutputStream().write("GET /b HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Await.until("second request queued", () -> queued() == 1);
            second.shutdownOutput();
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(second));
            web.hold = false;
            web.releaseHeld();
            assertThat(new String(answer.get(10, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1)).endsWith("web");
        }
        assertThat(web.requests).extracting(FakeBackend.Seen::uri).containsExactly("/a", "/b");
    }

    // ---------------------------------------------------------------- the real programs

    private String run(String shellCommand) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", shellCommand).redirectErrorStream(true).start();
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("'%s' exits", shellCommand).isTrue();
            return new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void socatPipingARequestGetsTheResponse() throws Exception {
        apply("", web.address());
        int port = proxy.address("fe").getPort();
        // socat shuts its sending side at the end of stdin; -t: how long it then waits for the reply (0.5 s default)
        String out = run("printf 'GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' | socat -t 10 - TCP:127.0.0.1:"
                + port);
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").endsWith("web");
    }

    @Test
    void ncWithDashNGetsTheResponse() throws Exception {
        apply("", web.address());
        int port = proxy.address("fe").getPort();
        String out = run("printf 'GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' | nc -N 127.0.0.1 " + port);
        assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").endsWith("web");
    }
}
