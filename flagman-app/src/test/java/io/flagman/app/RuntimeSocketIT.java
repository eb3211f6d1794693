package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's own runtime-socket pipeline against the packaged program: the seed's worker configuration shape
 * ({@code stats socket … mode 600 level admin}), with a checked backend, and the seed's command {@code echo 'show
 * servers state' | socat stdio SOCKET | awk '{print $4, $12}'} run by bash, which prints each server's name and
 * check result (3 passed, 2 failed). It follows a server going down (its upstream stopped) and coming back; and
 * {@code set server … state drain} through socat keeps the next requests off that server.
 */
@Timeout(120)
class RuntimeSocketIT {

    @TempDir
    Path dir;

    private HttpServer s1;
    private HttpServer s2;

    @AfterEach
    void stopUpstreams() {
        for (HttpServer s : new HttpServer[] {s1, s2}) {
            if (s != null) {
                s.stop(0);
            }
        }
    }

    private static HttpServer upstream(String name, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Runs {@code script} in bash and returns its standard output. */
    private static String bash(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("bash -c %s finished", script).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void theSeedsSocatPipelineFollowsAServerGoingDownAndComingBack() throws Exception {
        s1 = upstream("s1", 0);
        s2 = upstream("s2", 0);
        int p2 = s2.getAddress().getPort();
        int web = RuntimeAdminStateTest.freePort();
        Path socket = dir.resolve("haproxy.sock");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                  daemon
                  maxconn 256
                  stats socket %s mode 600 level admin
                  log stdout format raw daemon

                defaults
                  log global
                  timeout connect 5s
                  timeout client 10s
                  timeout server 10s
                  timeout check 1s

                frontend http-in
                  mode http
                  bind 127.0.0.1:%d
                  option forwardfor header X-Forwarded-For if-none
                  option httplog
                  default_backend app

                backend app
                  mode http
                  balance roundrobin
                  server s1 127.0.0.1:%d check inter 200ms
                  server s2 127.0.0.1:%d check inter 200ms
                """.formatted(socket, web, s1.getAddress().getPort(), p2));
        String seedCommand = "echo 'show servers state' | socat stdio " + socket + " | awk '{print $4, $12}'";
        try (FlagmanProcess flagman = FlagmanProcess.run(dir, "--config", cfg.toString())) {
            flagman.awaitListening(web, Duration.ofSeconds(60));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            flagman.await(() -> run(seedCommand).equals(" \nsrv_id srv_check_status\ns1 3\ns2 3\n \n"),
                    Duration.ofSeconds(30), "both servers passing their checks: " + run(seedCommand));

            s2.stop(0);
            flagman.await(() -> run(seedCommand).contains("\ns2 2\n"), Duration.ofSeconds(30),
                    "s2 failing its checks: " + run(seedCommand));
            assertThat(run(seedCommand)).isEqualTo(" \nsrv_id srv_check_status\ns1 3\ns2 2\n \n");
            // the first failure only starts the fall count; after 'fall' of them the server is down (op state 0)
            String opState = "echo 'show servers state app' | socat stdio " + socket + " | awk '$4 == \"s2\" {print $6}'";
            flagman.await(() -> run(opState).equals("0\n"), Duration.ofSeconds(30), "s2 down");
            assertThat(servedBy(web, 6)).containsExactly("s1");

            s2 = upstream("s2", p2);
            flagman.await(() -> run(seedCommand).contains("\ns2 3\n"), Duration.ofSeconds(30),
                    "s2 passing again: " + run(seedCommand));
            flagman.await(() -> servedBySafely(web).size() == 2, Duration.ofSeconds(30), "s2 back in rotation");

            // set server … state drain through the same pipe: the next request does not reach s2
            assertThat(bash("echo 'set server app/s2 state drain' | socat stdio " + socket)).isEqualTo("\n");
            assertThat(servedBy(web, 6)).containsExactly("s1");
            String state = bash("echo 'show servers state app' | socat stdio " + socket);
            assertThat(state.lines().filter(l -> l.startsWith("3 app 2 s2 ")).findFirst().orElseThrow()
                    .split(" ")[6]).isEqualTo("8");
            assertThat(bash("echo 'set server app/s2 state ready' | socat stdio " + socket)).isEqualTo("\n");
            assertThat(servedBy(web, 6)).containsExactlyInAnyOrder("s1", "s2");
            flagman.signal("TERM");
            assertThat(flagman.awaitExit(Duration.ofSeconds(60))).isZero();
        }
        assertThat(socket).as("the socket file is removed at a stop").doesNotExist();
    }

    private static String run(String script) {
        try {
            return bash(script);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Set<String> servedBy(int port, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.body());
        }
        return seen;
    }

    private Set<String> servedBySafely(int port) {
        try {
            return servedBy(port, 4);
        } catch (Exception e) {
            return Set.of();
        }
    }

}
