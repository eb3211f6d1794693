package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.flagman.cluster.ChannelPointer;
import io.flagman.cluster.ClusterSettings;
import io.flagman.cluster.EtcdProcess;
import io.flagman.cluster.EtcdStore;
import io.flagman.cluster.StoreResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet operations of the command line and the API against real processes: a real etcd, a staging node and
 * two production nodes ({@code flagman run --cluster …}, the packaged program), a real upstream. Fleet actions
 * reach both production nodes' runtimes; {@code promote --require-test} refuses a version whose routing test
 * fails; a commit-confirmed promotion of a version that takes a server DOWN is rolled back by the nodes
 * themselves, and the history says why.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetOperationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private EtcdProcess etcd;
    private HttpServer upstream;
    private final List<FlagmanProcess> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int app;

    /** One node: its directory, data port and API port. */
    private record Node(String name, String channel, Path dir, int port, int api, FlagmanProcess process) {}

    private Node stage;
    private Node prod1;
    private Node prod2;

    /** Every node serves this text; what differs (port, socket) comes from its environment. */
    private String config(int web1Port) {
        return """
                global
                  stats socket "${NODE_DIR}/haproxy.sock" mode 600 level admin
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                  timeout check 500ms
                userlist dataplane_users
                  user admin insecure-password adminpass
                frontend http-in
                  bind "127.0.0.1:${NODE_PORT}"
                  default_backend app
                backend app
                  server web1 127.0.0.1:%d check inter 100ms fall 2 rise 1
                  server web2 127.0.0.1:%d
                """.formatted(web1Port, app);
    }

    @BeforeAll
    void start() throws Exception {
        etcd = EtcdProcess.single();
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        upstream.createContext("/", e -> {
            byte[] body = "app".getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(200, body.length);
            e.getResponseBody().write(body);
            e.close();
        });
        upstream.start();
        app = upstream.getAddress().getPort();
        stage = node("stage-1", "staging");
        await(() -> channelVersion("staging") > 0, "staging to bootstrap its first version");
        prod1 = node("prod-1", "production");
        prod2 = node("prod-2", "production");
        Cli first = cli("promote", "--from", "staging", "--to", "production");
        assertThat(first.code).as(first.toString()).isEqualTo(0);
        awaitVersion(prod1, channelVersion("production"));
        awaitVersion(prod2, channelVersion("production"));
    }

    @AfterAll
    void stop() throws Exception {
        for (FlagmanProcess p : nodes) {
            p.close();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private Node node(String name, String channel) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        int port = RuntimeAdminStateTest.freePort();
        int api = RuntimeAdminStateTest.freePort();
        Files.writeString(d.resolve("haproxy.cfg"), config(app));
        FlagmanProcess p = FlagmanProcess.run(d, Map.of("NODE_DIR", d.toString(), "NODE_PORT",
                String.valueOf(port)), "--config", "haproxy.cfg", "--api", "127.0.0.1:" + api, "--cluster",
                etcd.endpointList(), "--node", name, "--channel", channel);
        nodes.add(p);
        p.awaitListening(api, Duration.ofSeconds(60));
        p.awaitListening(port, Duration.ofSeconds(10));
        return new Node(name, channel, d, port, api, p);
    }

    @Test
    void setServerStateReachesEveryProductionNodesRuntime() throws Exception {
        Cli drain = cli("fleet", "set-server", "--channel", "production", "app/web2", "state", "drain");
        assertThat(drain.code).as(drain.toString()).isEqualTo(0);
        assertThat(drain.out).isEqualTo("'set server app/web2 state drain' on 2 nodes of production: prod-1: ok"
                + " (app/web2 state drain (was ready)); prod-2: ok (app/web2 state drain (was ready))\n");
        for (Node n : List.of(prod1, prod2)) {
            JsonNode s = JSON.readTree(get(n, "/v3/services/haproxy/runtime/backends/app/servers/web2").body());
            assertThat(s.get("admin_state").asText()).as(n.name()).isEqualTo("drain");
            String state = socket(n.dir().resolve("haproxy.sock"), "show servers state app\n");
            assertThat(adminState(state, "web2")).as(n.name() + ": " + state).isEqualTo("8"); // SRV_ADMF_DRAIN
        }
        JsonNode stageWeb2 = JSON.readTree(get(stage, "/v3/services/haproxy/runtime/backends/app/servers/web2")
                .body());
        assertThat(stageWeb2.get("admin_state").asText()).as("staging is another channel").isEqualTo("ready");

        // the same through the API of any node, back to ready
        HttpResponse<String> ready = post(stage, "/v3/fleet/actions",
                "{\"channel\":\"production\",\"command\":\"set server app/web2 state ready\"}");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("results")).hasSize(2);
        for (Node n : List.of(prod1, prod2)) {
            assertThat(JSON.readTree(get(n, "/v3/services/haproxy/runtime/backends/app/servers/web2").body())
                    .get("admin_state").asText()).isEqualTo("ready");
        }

        Cli weight = cli("fleet", "set-server", "--channel", "production", "app/web2", "weight", "5");
        assertThat(weight.code).isEqualTo(2);
        assertThat(weight.err).contains("expected `app/web2 state ready|drain|maint`, got 'weight'");
        HttpResponse<String> viaApi = post(prod2, "/v3/fleet/actions",
                "{\"channel\":\"production\",\"command\":\"set server app/web2 weight 5\"}");
        assertThat(viaApi.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(viaApi.body()).get("message").asText()).startsWith("set server app/web2: only"
                + " 'state ready|drain|maint' is fanned out");
    }

    @Test
    void aPromotedVersionThatTakesAServerDownIsRolledBackByTheNodes() throws Exception {
        long before = channelVersion("production");
        int dead = RuntimeAdminStateTest.freePort();
        // staging gets a version whose web1 points at a dead port (the seed's API, raw configuration)
        HttpResponse<String> change = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stage.api()
                + "/v3/services/haproxy/configuration/raw?skip_version=true")).header("Authorization", auth())
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(config(dead)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(change.statusCode()).as(change.body()).isIn(201, 202);
        long broken = channelVersion("staging");
        assertThat(broken).isGreaterThan(before);
        awaitVersion(stage, broken);

        // what-if against the stored version: the routing test decides whether promote may go on
        Path failing = dir.resolve("failing.txt");
        Files.writeString(failing, "GET http://127.0.0.1:" + prod1.port() + "/ frontend http-in expect other\n");
        Cli refused = cli("promote", "--from", "staging", "--to", "production", "--require-test", failing.toString());
        assertThat(refused.code).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out).contains("FAIL: expected backend other, got app");
        assertThat(refused.err).contains("refused: the routing test " + failing + " fails against version " + broken);
        assertThat(channelVersion("production")).isEqualTo(before);
        Path passing = dir.resolve("passing.txt");
        Files.writeString(passing, "GET http://127.0.0.1/ frontend http-in expect app\n");
        Cli test = cli("test", "--version", String.valueOf(broken), passing.toString());
        assertThat(test.code).as(test.toString()).isEqualTo(0);
        assertThat(test.out).contains("backend app (default_backend at version " + broken + ":13)");

        Cli promoted = cli("promote", "--from", "staging", "--to", "production", "--confirm", "60s",
                "--require-test", passing.toString());
        assertThat(promoted.code).as(promoted.toString()).isEqualTo(0);
        assertThat(promoted.out).contains("promoted version " + broken + " from staging to production (was " + before
                + ")");

        // web1 goes DOWN on the production nodes: the first one to see it moves the channel back
        await(() -> channelVersion("production") == before, "production to return to version " + before);
        awaitVersion(prod1, before);
        awaitVersion(prod2, before);
        for (Node n : List.of(prod1, prod2)) {
            await(() -> serverUp(n, "web1"), n.name() + "'s web1 to be UP again on version " + before);
            assertThat(get(n, "/v3/services/haproxy/configuration/raw").body()).contains("127.0.0.1:" + app
                    + " check");
        }
        Cli history = cli("history", "--channel", "production", "--json");
        assertThat(history.code).as(history.toString()).isEqualTo(0);
        JsonNode entries = JSON.readTree(history.out);
        JsonNode promote = entries.get(entries.size() - 2);
        assertThat(promote.get("action").asText()).isEqualTo("promote");
        assertThat(promote.get("to").asLong()).isEqualTo(broken);
        JsonNode last = entries.get(entries.size() - 1);
        assertThat(last.get("action").asText()).isEqualTo("auto-rollback");
        assertThat(last.get("from").asLong()).isEqualTo(broken);
        assertThat(last.get("to").asLong()).isEqualTo(before);
        assertThat(last.get("by").asText()).isIn("node prod-1", "node prod-2");
        assertThat(last.get("reason").asText()).matches("version " + broken
                + " on node prod-[12]: server app/web1 went DOWN \\(not DOWN when the window opened\\)");
        JsonNode pointer = JSON.readTree(get(prod1, "/v3/fleet/channels").body());
        for (JsonNode p : pointer) {
            if (p.get("channel").asText().equals("production")) {
                assertThat(p.has("confirm")).as(p.toString()).isFalse();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The channel's version as etcd has it (read directly: polling through a new JVM each time is too slow). */
    private long channelVersion(String channel) {
        try (EtcdStore s = EtcdStore.connect(etcd.endpoints(), ClusterSettings.DEFAULT_PREFIX)) {
            StoreResult<Optional<ChannelPointer>> p = s.channel(channel);
            return p.isOk() ? p.value().map(ChannelPointer::version).orElse(0L) : -1;
        }
    }

    private void awaitVersion(Node n, long version) throws Exception {
        await(() -> {
            try {
                HttpResponse<String> r = get(n, "/v3/services/haproxy/configuration/version");
                return r.statusCode() == 200 && r.body().strip().equals(String.valueOf(version));
            } catch (Exception e) {
                return false;
            }
        }, n.name() + " to serve version " + version);
    }

    private boolean serverUp(Node n, String server) {
        try {
            JsonNode s = JSON.readTree(get(n, "/v3/services/haproxy/runtime/backends/app/servers/" + server).body());
            return s.get("operational_state").asText().equals("up");
        } catch (Exception e) {
            return false;
        }
    }

    private HttpResponse<String> get(Node n, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.api() + path))
                .header("Authorization", auth()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Node n, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.api() + path))
                .header("Authorization", auth()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String auth() {
        return "Basic " + Base64.getEncoder().encodeToString("admin:adminpass".getBytes(StandardCharsets.UTF_8));
    }

    /** The srv_admin_state column (6th) of {@code server}'s line in {@code show servers state}. */
    private static String adminState(String table, String server) {
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 6 && f[3].equals(server)) {
                return f[6];
            }
        }
        return null;
    }

    private static String socket(Path socket, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(command.getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf.clear()) > 0) {
                out.write(buf.array(), 0, buf.position());
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** The output of one command of the packaged program. */
    record Cli(int code, String out, String err) {}

    private Cli cli(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--cluster", etcd.endpointList()));
        if (args[0].equals("test") && args.length > 1 && args[1].equals("--config")) {
            command.removeLast();
            command.removeLast();
        }
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        // the stored text reads ${NODE_…} from the environment, as a node does: what-if runs as node prod-1
        b.environment().putAll(Map.of("NODE_DIR", prod1 == null ? dir.toString() : prod1.dir().toString(),
                "NODE_PORT", String.valueOf(prod1 == null ? 1 : prod1.port())));
        Process p = b.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("flagman " + String.join(" ", args) + " did not exit within 60 s");
        }
        return new Cli(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            for (FlagmanProcess p : nodes) {
                assertThat(p.log()).doesNotContain("bug in the cluster node agent");
            }
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (FlagmanProcess p : nodes) {
                    logs.append("\n---\n").append(p.log());
                }
                throw new AssertionError("waited 60 s for " + what + logs);
            }
            Thread.sleep(100); // polling interval of a bounded wait, not a synchronisation
        }
    }
}
