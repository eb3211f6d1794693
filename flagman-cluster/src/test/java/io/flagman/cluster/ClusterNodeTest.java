package io.flagman.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flagman.config.model.Config;
import io.flagman.control.ApiSettings;
import io.flagman.control.ControlPlane;
import io.flagman.control.RuntimeServers;
import io.flagman.control.store.VersionLine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent against a real etcd and real control planes (real HTTP API on loopback); the data plane is the
 * one part replaced, by an applier that records what it is given and refuses what a test tells it to.
 */
@Timeout(120)
class ClusterNodeTest {

    static final String CONFIG = """
            global
              maxconn 256

            defaults
              mode http
              timeout connect 5s
              timeout client 10s
              timeout server 10s

            userlist dataplane_users
              user admin insecure-password adminpass

            frontend http-in
              bind 127.0.0.1:18080
              default_backend fallback

            backend fallback
              http-request return status 404 content-type "text/plain" string "not found"
            """;
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static EtcdProcess etcd;

    @TempDir
    Path dir;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.single();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    /** A control plane on its own file with a node agent plugged in; the applier refuses backends named "bad". */
    static final class Node implements AutoCloseable {
        final Path file;
        final ClusterNode agent;
        final ControlPlane plane;
        final List<Config> applied = new CopyOnWriteArrayList<>();
        final String base;

        Node(Path dir, String prefix, String name, String channel) throws IOException {
            Files.createDirectories(dir);
            file = dir.resolve("haproxy.cfg");
            if (!Files.exists(file)) {
                Files.writeString(file, CONFIG);
            }
            ClusterSettings settings = new ClusterSettings(etcd.endpoints(), prefix, name, channel, null, null);
            agent = new ClusterNode(settings, EtcdStore.connect(settings), NodeHealth.NONE, "test",
                    Clock.systemUTC());
            plane = new ControlPlane(ApiSettings.of(file, "127.0.0.1", 0).withUserlist("dataplane_users"),
                    config -> {
                        if (config.backend("bad").isPresent()) {
                            throw new Exception("cannot bind 127.0.0.1:18081: address already in use");
                        }
                        applied.add(config);
                    }, RuntimeServers.NONE,
                    ControlPlane.Options.defaults().withGate(agent.gate()).withHandEdits(agent.handEdits()));
            InetSocketAddress a = plane.start();
            base = "http://127.0.0.1:" + a.getPort();
            agent.start(plane.service(), "127.0.0.1:" + a.getPort());
        }

        HttpResponse<String> send(String method, String path, String body, String message) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            "admin:adminpass".getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (message != null) {
                b.header("X-Flagman-Message", message);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        long version() {
            return plane.service().current().version();
        }

        String file() throws IOException {
            return Files.readString(file);
        }

        @Override
        public void close() {
            agent.close();
            plane.close();
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < end).as("waited %s for %s", WAIT, what).isTrue();
            Thread.sleep(20); // polling interval of a bounded wait
        }
    }

    static Optional<NodeStatus> reported(EtcdStore store, String node) {
        StoreResult<List<NodeStatus>> r = store.nodes();
        return r.isOk() ? r.value().stream().filter(n -> n.node().equals(node)).findFirst() : Optional.empty();
    }

    static boolean reportedAs(EtcdStore store, String node, String state, long version) {
        return reported(store, node).filter(n -> n.state().equals(state) && n.version() == version).isPresent();
    }

    static ChannelPointer promote(EtcdStore store, String to, long version) {
        Optional<ChannelPointer> old = store.channel(to).value();
        Instant now = Instant.now();
        ChannelPointer next = new ChannelPointer(to, version, old.map(ChannelPointer::version).orElse(0L), null, null,
                now, "test", 0);
        return store.move(next, old.map(ChannelPointer::modRevision).orElse(0L),
                new HistoryEntry(now, to, next.previous(), version, "promote", "test", null, false)).value();
    }

    @Test
    void stagingPublishesItsWritesProductionRefusesThemAndFollowsItsChannel() throws Exception {
        String prefix = "/test/follow";
        try (EtcdStore store = etcd.store(prefix);
                Node staging = new Node(dir.resolve("staging"), prefix, "stage-1", "staging");
                Node prod = new Node(dir.resolve("prod"), prefix, "prod-1", "production")) {
            // an empty writable channel starts with the staging node's file
            await(() -> reportedAs(store, "stage-1", NodeStatus.OK, 1), "staging bootstrapped as version 1");
            assertThat(store.version(1).value().orElseThrow().text()).isEqualTo(CONFIG);
            assertThat(staging.file()).isEqualTo("# _version=1\n" + CONFIG);
            assertThat(store.history("staging").value()).extracting(HistoryEntry::action).containsExactly("publish");
            await(() -> reportedAs(store, "prod-1", NodeStatus.STALE, 1), "production without a channel");

            HttpResponse<String> w = staging.send("POST",
                    "/v3/services/haproxy/configuration/backends?version=1", "{\"name\":\"api\"}", "add api");
            assertThat(w.statusCode()).as(w.body()).isEqualTo(202);
            assertThat(w.headers().firstValue("Configuration-Version")).hasValue("2");
            VersionInfo v2 = store.versionInfo(2).value().orElseThrow();
            assertThat(v2.author()).isEqualTo("admin");
            assertThat(v2.message()).isEqualTo("add api");
            assertThat(v2.parent()).isEqualTo(1);
            assertThat(store.channel("staging").value().orElseThrow().version()).isEqualTo(2);
            assertThat(staging.file()).startsWith("# _version=2\n").contains("backend api");
            assertThat(v2.checksum()).isEqualTo(Blobs.checksum(staging.file()));
            await(() -> reportedAs(store, "stage-1", NodeStatus.OK, 2), "staging reports version 2");
            assertThat(prod.file()).doesNotContain("backend api");

            HttpResponse<String> refused = prod.send("POST",
                    "/v3/services/haproxy/configuration/backends?version=1", "{\"name\":\"direct\"}", null);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(refused.body()).get("message").asText()).isEqualTo("this node follows channel"
                    + " 'production', which takes no direct writes: change staging and run `flagman promote --from"
                    + " staging --to production`");
            assertThat(prod.file()).isEqualTo(CONFIG);

            promote(store, "production", 2);
            await(() -> reportedAs(store, "prod-1", NodeStatus.OK, 2), "production applies version 2");
            assertThat(prod.file()).isEqualTo("# _version=2\n" + VersionLine.strip(store.version(2).value()
                    .orElseThrow().text()));
            assertThat(prod.applied.getLast().backend("api")).isPresent();
            assertThat(reported(store, "prod-1").orElseThrow().checksum()).isEqualTo(v2.checksum());
        }
    }

    @Test
    void aVersionThatDoesNotApplyLeavesTheNodeOnItsLastGoodVersionWithTheError() throws Exception {
        String prefix = "/test/error";
        try (EtcdStore store = etcd.store(prefix);
                Node prod = new Node(dir.resolve("prod"), prefix, "prod-1", "production")) {
            ChannelPointer v1 = store.publish("production", 0, CONFIG, "test", "one").value();
            await(() -> reportedAs(store, "prod-1", NodeStatus.OK, v1.version()), "production on version 1");
            String good = prod.file();
            store.publish("production", v1.modRevision(), CONFIG + "\nbackend bad\n", "test", "bad");
            await(() -> reportedAs(store, "prod-1", NodeStatus.ERROR, v1.version()), "the error reported");
            NodeStatus s = reported(store, "prod-1").orElseThrow();
            assertThat(s.lastError()).contains("version 2 of channel 'production' was not applied")
                    .contains("cannot bind 127.0.0.1:18081: address already in use");
            assertThat(prod.file()).isEqualTo(good);
            assertThat(prod.version()).isEqualTo(1);
            assertThat(prod.applied.getLast().backend("bad")).isEmpty();
        }
    }

    @Test
    void withEtcdDownWritesAre503AndNothingChangesThenTheNodeCatchesUp() throws Exception {
        String prefix = "/test/down";
        try (EtcdStore store = etcd.store(prefix);
                Node staging = new Node(dir.resolve("staging"), prefix, "stage-1", "staging")) {
            await(() -> reportedAs(store, "stage-1", NodeStatus.OK, 1), "staging bootstrapped");
            String before = staging.file();
            etcd.stop(0);
            try {
                HttpResponse<String> w = staging.send("POST",
                        "/v3/services/haproxy/configuration/backends?version=1", "{\"name\":\"api\"}", null);
                assertThat(w.statusCode()).as(w.body()).isEqualTo(503);
                assertThat(JSON.readTree(w.body()).get("message").asText()).isEqualTo("the cluster store (etcd at "
                        + etcd.endpointList() + ") is unreachable: nothing was changed; retry when it is back");
                assertThat(staging.file()).isEqualTo(before);
                assertThat(staging.version()).isEqualTo(1);
            } finally {
                etcd.start(0);
            }
            ChannelPointer p = store.channel("staging").value().orElseThrow();
            store.publish("staging", p.modRevision(), CONFIG + "\nbackend later\n", "test", "while away");
            await(() -> reportedAs(store, "stage-1", NodeStatus.OK, 2), "staging catches up");
            assertThat(staging.file()).contains("backend later");
        }
    }

    @Test
    void aHandEditIsKeptAsADraftAndTheFileIsPutBack() throws Exception {
        String prefix = "/test/drift";
        try (EtcdStore store = etcd.store(prefix);
                Node prod = new Node(dir.resolve("prod"), prefix, "prod-1", "production")) {
            store.publish("production", 0, CONFIG, "test", "one");
            await(() -> reportedAs(store, "prod-1", NodeStatus.OK, 1), "production on version 1");
            String good = prod.file();
            assertThat(good).isEqualTo("# _version=1\n" + CONFIG);
            String edited = good.replace("maxconn 256", "maxconn 9999");
            Files.writeString(prod.file, edited);
            prod.plane.poll();
            await(() -> store.drafts("prod-1").isOk() && !store.drafts("prod-1").value().isEmpty(), "a draft");
            Draft d = store.drafts("prod-1").value().getFirst();
            assertThat(d.baseVersion()).isEqualTo(1);
            assertThat(d.text()).isEqualTo(edited);
            assertThat(d.diff()).contains("-  maxconn 256\n+  maxconn 9999\n").startsWith("--- version 1\n");
            await(() -> {
                try {
                    return prod.file().equals(good);
                } catch (IOException e) {
                    return false;
                }
            }, "the file put back");
            assertThat(prod.version()).isEqualTo(1);
            await(() -> reportedAs(store, "prod-1", NodeStatus.OK, 1), "ok again");
            assertThat(prod.applied).noneMatch(c -> c.global().maxconn() == 9999);
        }
    }

    @Test
    void aFileWithTheChannelsVersionButOtherContentIsDriftAndIsPutBack() throws Exception {
        String prefix = "/test/drift-at-start";
        try (EtcdStore store = etcd.store(prefix)) {
            store.publish("production", 0, CONFIG, "test", "one");
            Path node = dir.resolve("prod");
            Files.createDirectories(node);
            Files.writeString(node.resolve("haproxy.cfg"), "# _version=1\n" + CONFIG.replace("maxconn 256",
                    "maxconn 777"));
            try (Node prod = new Node(node, prefix, "prod-1", "production")) {
                await(() -> reportedAs(store, "prod-1", NodeStatus.OK, 1), "production on version 1");
                assertThat(prod.file()).isEqualTo("# _version=1\n" + CONFIG);
                assertThat(store.drafts("prod-1").value()).singleElement()
                        .satisfies(d -> assertThat(d.diff()).contains("+  maxconn 777"));
            }
        }
    }

    @Test
    void writableChannelsCanBeChosen() {
        ClusterSettings s = new ClusterSettings(etcd.endpoints(), "/x", "n", "production", Set.of("production"),
                null);
        try (ClusterNode node = new ClusterNode(s, EtcdStore.connect(s), NodeHealth.NONE, "t", Clock.systemUTC())) {
            assertThat(node.writable()).isTrue();
        }
    }
}
