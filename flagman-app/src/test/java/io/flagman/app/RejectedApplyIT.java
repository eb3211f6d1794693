package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, defect 3, from outside: the packaged program ({@code flagman run --config F --api …}) is asked to
 * disable its one server and, in the same change, to bind a port another socket holds. The change is refused
 * (through the API: transaction commit and raw POST; by a hand edit of the file), and the server stays in
 * rotation: a real request still reaches it, and the runtime API still says it is ready.
 */
@Timeout(120)
class RejectedApplyIT {
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer upstream;
    private ServerSocket taken;
    private Process process;
    private Path cfg;
    private int web;
    private Api api;

    @BeforeEach
    void start() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        upstream.createContext("/", exchange -> {
            byte[] body = "s1".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        taken = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        web = RuntimeAdminStateTest.freePort();
        int apiPort = RuntimeAdminStateTest.freePort();
        cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, config(false, false));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        process = new ProcessBuilder(java, "-jar", jar.toString(), "run", "--config", cfg.toString(), "--api",
                "127.0.0.1:" + apiPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("flagman.log").toFile())
                .start();
        api = new Api(new InetSocketAddress("127.0.0.1", apiPort), "admin", "secret");
        await("the API comes up", () -> {
            assertThat(process.isAlive()).as("flagman exited early: %s", log()).isTrue();
            try {
                return api.get(Api.CFG + "/version").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(proxiedStatus()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        if (taken != null) {
            taken.close();
        }
    }

    private String config(boolean disabled, boolean bindTaken) {
        String other = bindTaken ? """
                frontend other
                  bind 127.0.0.1:%d
                  default_backend be
                """.formatted(taken.getLocalPort()) : "";
        return Api.config(web, "default_backend be", """
                %sbackend be
                  server s1 127.0.0.1:%d%s
                """.formatted(other, upstream.getAddress().getPort(), disabled ? " disabled" : ""));
    }

    private int proxiedStatus() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
            assertThat(r.body()).isEqualTo("s1");
        }
        return r.statusCode();
    }

    private String adminState() throws Exception {
        HttpResponse<String> r = api.get("/v3/services/haproxy/runtime/backends/be/servers/s1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher m = Pattern.compile("\"admin_state\":\"([a-z]+)\"").matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1);
    }

    private void assertUntouched(long version, String file) throws Exception {
        assertThat(api.version()).isEqualTo(version);
        assertThat(Files.readString(cfg)).isEqualTo(file);
        assertThat(adminState()).isEqualTo("ready");
        for (int i = 0; i < 3; i++) {
            assertThat(proxiedStatus()).as("request %d after the refused change", i).isEqualTo(200);
        }
    }

    @Test
    void aRefusedTransactionLeavesTheServerInRotation() throws Exception {
        long v = api.version();
        String before = Files.readString(cfg);
        HttpResponse<String> begin = api.send("POST", "/v3/services/haproxy/transactions?version=" + v, null);
        assertThat(begin.statusCode()).as(begin.body()).isEqualTo(201);
        Matcher id = ID.matcher(begin.body());
        assertThat(id.find()).isTrue();
        String tx = "?transaction_id=" + id.group(1);
        HttpResponse<String> maint = api.send("PUT", Api.CFG + "/backends/be/servers/s1" + tx,
                "{\"name\":\"s1\",\"address\":\"127.0.0.1\",\"port\":" + upstream.getAddress().getPort()
                        + ",\"maintenance\":\"enabled\"}");
        assertThat(maint.statusCode()).as(maint.body()).isEqualTo(202);
        HttpResponse<String> fe = api.send("POST", Api.CFG + "/frontends" + tx,
                "{\"name\":\"other\",\"mode\":\"http\",\"default_backend\":\"be\"}");
        assertThat(fe.statusCode()).as(fe.body()).isEqualTo(202);
        HttpResponse<String> bind = api.send("POST", Api.CFG + "/frontends/other/binds" + tx,
                "{\"name\":\"taken\",\"address\":\"127.0.0.1\",\"port\":" + taken.getLocalPort() + "}");
        assertThat(bind.statusCode()).as(bind.body()).isEqualTo(202);
        assertThat(api.get(Api.CFG + "/raw" + tx).body()).contains("disabled");

        HttpResponse<String> commit = api.send("PUT", "/v3/services/haproxy/transactions/" + id.group(1), null);

        assertThat(commit.statusCode()).as(commit.body()).isBetween(400, 599);
        assertThat(commit.body()).contains("cannot bind");
        assertUntouched(v, before);
    }

    @Test
    void aRefusedRawConfigurationLeavesTheServerInRotation() throws Exception {
        long v = api.version();
        String before = Files.readString(cfg);
        HttpResponse<String> raw = api.sendText("POST", Api.CFG + "/raw?version=" + v, config(true, true));

        assertThat(raw.statusCode()).as(raw.body()).isBetween(400, 599);
        assertThat(raw.body()).contains("cannot bind");
        assertUntouched(v, before);
    }

    @Test
    void aRefusedHandEditLeavesTheServerInRotation() throws Exception {
        long v = api.version();
        String edited = config(true, true);
        Files.writeString(dir.resolve("edit.tmp"), edited);
        Files.move(dir.resolve("edit.tmp"), cfg, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        await("the hand edit is refused", () -> log().contains("refused the hand edit"));
        assertThat(log()).contains("cannot bind");
        assertUntouched(v, edited);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("flagman.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20); // polling interval while awaiting a condition with a deadline
        }
    }
}
