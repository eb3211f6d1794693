package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packaged program and the signals an operator or systemd sends it, with the real {@code kill}: SIGHUP
 * re-reads in both run modes and never stops the process; SIGTERM, SIGINT and SIGUSR1 stop softly (no new
 * connections, the request under way finishes, exit code 0), bounded by {@code hard-stop-after}.
 */
@Timeout(120)
class SignalsIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void sighupWithTheApiAppliesAHandEditAsANewVersionAndKeepsRunning() throws Exception {
        int web = RuntimeAdminStateTest.freePort();
        int apiPort = RuntimeAdminStateTest.freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, Api.config(web,
                "http-request return status 200 content-type text/plain string one", ""));
        try (FlagmanProcess flagman = FlagmanProcess.run(dir, "--config", cfg.toString(), "--api",
                "127.0.0.1:" + apiPort)) {
            Api api = new Api(new InetSocketAddress("127.0.0.1", apiPort), "admin", "secret");
            flagman.awaitLog("Data Plane API v3 on", 1, WAIT);
            long before = api.version();
            assertThat(body(web)).isEqualTo("one");

            Files.writeString(cfg, Files.readString(cfg).replace("string one", "string two"));
            flagman.signal("HUP");

            flagman.await(() -> "two".equals(bodyOrNull(web)), WAIT, "the hand edit to be served");
            flagman.awaitLog("applied the hand edit", 1, WAIT);
            assertThat(api.version()).as("the hand edit is a new version").isEqualTo(before + 1);
            assertThat(Files.readString(cfg)).contains("# _version=" + (before + 1));

            // A SIGHUP with nothing changed re-applies and keeps the version: the process is still there.
            flagman.signal("HUP");
            flagman.awaitLog("re-read the running configuration and applied it live", 1, WAIT);
            assertThat(flagman.alive()).isTrue();
            assertThat(api.version()).isEqualTo(before + 1);
            assertThat(body(web)).isEqualTo("two");
        }
    }

    @Test
    void sighupWithoutTheApiAppliesTheFileAndKeepsRunning() throws Exception {
        int web = RuntimeAdminStateTest.freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, plain(web, "http-request return status 200 content-type text/plain string one"));
        try (FlagmanProcess flagman = FlagmanProcess.run(dir, "--config", cfg.toString())) {
            flagman.awaitListening(web, WAIT);
            assertThat(body(web)).isEqualTo("one");
            Files.writeString(cfg, Files.readString(cfg).replace("string one", "string two"));
            flagman.signal("HUP");
            flagman.await(() -> "two".equals(bodyOrNull(web)), WAIT, "the edit to be served");
            // SIGHUP applies even an unchanged file; repeated, it never stops the process.
            for (int i = 0; i < 3; i++) {
                flagman.signal("HUP");
            }
            flagman.awaitLog("applied " + cfg + " live", 2, WAIT);
            assertThat(flagman.alive()).isTrue();
            assertThat(body(web)).isEqualTo("two");
        }
    }

    @ParameterizedTest(name = "SIG{0}, {1}")
    @CsvSource({"TERM, plain", "INT, plain", "USR1, plain", "TERM, api", "USR1, api"})
    void aStopSignalLetsTheRequestUnderWayFinishRefusesNewConnectionsAndExitsZero(String signal, String mode)
            throws Exception {
        try (SlowUpstream upstream = new SlowUpstream()) {
            int web = RuntimeAdminStateTest.freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, proxied(web, upstream.port(), ""));
            try (FlagmanProcess flagman = start(cfg, mode)) {
                flagman.awaitListening(web, WAIT);
                CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/slow"))
                                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(upstream.received.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .as("the request reached the upstream").isTrue();

                flagman.signal(signal);
                flagman.awaitLog("SIG" + signal + ": soft stop", 1, WAIT);
                flagman.await(() -> !FlagmanProcess.connects(web), WAIT, "new connections to be refused");
                assertThat(inFlight).as("the request is still under way").isNotDone();

                upstream.release.countDown();
                HttpResponse<String> response = inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("slow answer");
                assertThat(flagman.awaitExit(WAIT)).as("exit code; log:%n%s", flagman.log()).isZero();
                assertThat(flagman.log()).contains("flagman: stopped");
            }
        }
    }

    @Test
    void hardStopAfterBoundsTheSoftStop() throws Exception {
        try (SlowUpstream upstream = new SlowUpstream()) {
            int web = RuntimeAdminStateTest.freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, proxied(web, upstream.port(), "global\n  hard-stop-after 1s\n\n"));
            try (FlagmanProcess flagman = start(cfg, "plain")) {
                flagman.awaitListening(web, WAIT);
                CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/never")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(upstream.received.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                flagman.signal("TERM");
                // The upstream never answers: the stop is bounded by hard-stop-after, still a clean exit.
                assertThat(flagman.awaitExit(WAIT)).as("exit code; log:%n%s", flagman.log()).isZero();
                assertThat(flagman.log()).contains("hard-stop-after reached");
                assertThat(inFlight).failsWithin(WAIT);
            }
        }
    }

    @Test
    void aSecondStopSignalStopsAtOnce() throws Exception {
        try (SlowUpstream upstream = new SlowUpstream()) {
            int web = RuntimeAdminStateTest.freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, proxied(web, upstream.port(), ""));
            try (FlagmanProcess flagman = start(cfg, "plain")) {
                flagman.awaitListening(web, WAIT);
                http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/never")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(upstream.received.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                flagman.signal("TERM");
                flagman.awaitLog("soft stop", 1, WAIT);
                flagman.signal("INT");
                // Well before the 30 s default of hard-stop-after.
                assertThat(flagman.awaitExit(Duration.ofSeconds(15))).isZero();
                assertThat(flagman.log()).contains("hard stop");
            }
        }
    }

    private FlagmanProcess start(Path cfg, String mode) throws IOException {
        if (mode.equals("api")) {
            return FlagmanProcess.run(dir, "--config", cfg.toString(), "--api",
                    "127.0.0.1:" + RuntimeAdminStateTest.freePort());
        }
        return FlagmanProcess.run(dir, "--config", cfg.toString());
    }

    private static String plain(int web, String frontendBody) {
        return Api.config(web, frontendBody, "");
    }

    private static String proxied(int web, int upstream, String global) {
        return global + Api.config(web, "default_backend slow", """
                backend slow
                  timeout server 60s
                  server s1 127.0.0.1:%d
                """.formatted(upstream));
    }

    private String body(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private String bodyOrNull(int port) {
        try {
            return body(port);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * An upstream that answers only when the test says so: it reads a request head, counts {@link #received},
     * waits for {@link #release}, then answers {@code 200 slow answer}. Real sockets on loopback.
     */
    static final class SlowUpstream implements AutoCloseable {
        final CountDownLatch received = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ServerSocket server;
        private final Thread acceptor;
        private final List<Socket> accepted = new ArrayList<>();

        SlowUpstream() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofPlatform().daemon().start(this::serve);
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                    Thread.ofPlatform().daemon().start(() -> answer(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void answer(Socket s) {
            try (s) {
                readHead(s.getInputStream());
                received.countDown();
                if (!release.await(60, TimeUnit.SECONDS)) {
                    return;
                }
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nslow answer")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException | InterruptedException e) {
                // the proxy closed the connection (hard stop): nothing to answer
            }
        }

        private static void readHead(InputStream in) throws IOException {
            int state = 0;
            for (int b = in.read(); b >= 0; b = in.read()) {
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1 : 0;
                if (state == 4) {
                    return;
                }
            }
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            server.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
            acceptor.join(5_000);
        }
    }
}
