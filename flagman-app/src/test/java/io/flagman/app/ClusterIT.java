package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.flagman.cluster.ChannelPointer;
import io.flagman.cluster.ConfigVersion;
import io.flagman.cluster.Draft;
import io.flagman.cluster.EtcdProcess;
import io.flagman.cluster.EtcdStore;
import io.flagman.cluster.Fleet;
import io.flagman.cluster.FleetResult;
import io.flagman.cluster.HistoryEntry;
import io.flagman.cluster.NodeStatus;
import io.flagman.cluster.PromoteRequest;
import io.flagman.cluster.StoreResult;
import io.flagman.control.store.VersionLine;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flagman as a fleet: a real etcd ({@link EtcdProcess}), real {@code flagman run --cluster} processes (the packaged
 * jar), real clients (curl, the seed's {@code add_backend.sh}, an HTTP client loop). A staging node and production
 * nodes on one machine: every node's configuration binds {@code "127.0.0.1:${HTTP_PORT}"} (and
 * {@code ${EXTRA_PORT}}), set per process, so one version serves on every node.
 */
@Timeout(300)
class ClusterIT {

    static final String PASSWORD = "fleet-secret";
    static final String CONFIG = """
            global
              maxconn 256

            defaults
              mode http
              timeout connect 5s
              timeout client 10s
              timeout server 10s

            userlist dataplane_users
              user admin insecure-password fleet-secret

            frontend http-in
              mode http
              bind "127.0.0.1:${HTTP_PORT}"
              default_backend fallback-backend

            backend fallback-backend
              mode http
              http-request return status 404 content-type "text/plain" string "not found"
            """;
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String PREFIX = "/flagman/it";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;

    EtcdProcess etcd;
    EtcdStore store;
    final List<Node> nodes = new ArrayList<>();

    @BeforeEach
    void startEtcd() {
        etcd = EtcdProcess.single();
        store = etcd.store(PREFIX);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Node n : nodes) {
            n.close();
        }
        store.close();
        etcd.close();
    }

    /** One {@code flagman run --cluster} process with its own directory, file and ports. */
    final class Node implements AutoCloseable {
        final String name;
        final String channel;
        final Path home;
        final Path file;
        final int http;
        final int api;
        final int extra;
        FlagmanProcess process;

        Node(String name, String channel) throws IOException {
            this.name = name;
            this.channel = channel;
            this.home = Files.createDirectories(dir.resolve(name));
            this.file = home.resolve("haproxy.cfg");
            this.http = RuntimeAdminStateTest.freePort();
            this.api = RuntimeAdminStateTest.freePort();
            this.extra = RuntimeAdminStateTest.freePort();
            Files.writeString(file, CONFIG);
            nodes.add(this);
        }

        Node start() throws Exception {
            return start("--config", file.toString(), "--api", "127.0.0.1:" + api, "--cluster", etcd.endpointList(),
                    "--node", name, "--channel", channel, "--cluster-prefix", PREFIX);
        }

        /** Started with {@code -f dataplaneapi.yml}, the cluster settings in its {@code cluster:} block. */
        Node startFromYaml() throws Exception {
            Path yaml = home.resolve("dataplaneapi.yml");
            Files.writeString(yaml, """
                    dataplaneapi:
                      host: 127.0.0.1
                      port: %d
                      userlist:
                        userlist: dataplane_users
                    haproxy:
                      config_file: haproxy.cfg
                    cluster:
                      endpoints: [%s]
                      prefix: %s
                      node: %s
                      channel: %s
                    """.formatted(api, etcd.endpointList(), PREFIX, name, channel));
            return start("-f", yaml.toString());
        }

        private Node start(String... args) throws Exception {
            process = FlagmanProcess.run(home, Map.of("HTTP_PORT", Integer.toString(http),
                    "EXTRA_PORT", Integer.toString(extra),
                    "JDK_JAVA_OPTIONS", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"), args);
            process.awaitListening(api, WAIT);
            process.awaitListening(http, WAIT);
            return this;
        }

        String apiUrl(String path) {
            return "http://127.0.0.1:" + api + path;
        }

        String file() throws IOException {
            return Files.readString(file);
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                process.close();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** One run of the real curl: its body and HTTP status. */
    record Curl(int status, String body) {}

    static Curl curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-S", "-m", "10", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("curl finished").isTrue();
        int nl = out.lastIndexOf('\n');
        String code = out.substring(nl + 1).strip();
        return new Curl(code.matches("\\d+") ? Integer.parseInt(code) : -1, nl < 0 ? "" : out.substring(0, nl));
    }

    static Curl curlApi(Node n, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("-u", "admin:" + PASSWORD));
        all.addAll(List.of(args));
        return curl(all.toArray(String[]::new));
    }

    /** What a node's frontend answers for {@code host} (status and body). */
    static Curl served(int port, String host) throws IOException, InterruptedException {
        return curl("-H", "Host: " + host, "http://127.0.0.1:" + port + "/");
    }

    static boolean serves(int port, String host, String text) {
        try {
            return served(port, host).body().contains(text);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < end).as("waited %s for %s", WAIT, what).isTrue();
            Thread.sleep(50); // polling interval of a bounded wait, not a synchronisation
        }
    }

    Optional<NodeStatus> reported(String node) {
        StoreResult<List<NodeStatus>> r = store.nodes();
        return r.isOk() ? r.value().stream().filter(s -> s.node().equals(node)).findFirst() : Optional.empty();
    }

    boolean reportedAs(String node, String state, long version) {
        return reported(node).filter(s -> s.state().equals(state) && s.version() == version).isPresent();
    }

    void awaitReported(Node n, String state, long version) throws InterruptedException {
        await(() -> reportedAs(n.name, state, version), n.name + " reported " + state + " at version " + version
                + " (reported: " + reported(n.name) + ")");
    }

    long channelVersion(String channel) {
        return store.channel(channel).value().orElseThrow().version();
    }

    void promote(String to) throws InterruptedException {
        Fleet fleet = new Fleet(store);
        FleetResult<?>[] last = new FleetResult<?>[1];
        await(() -> (last[0] = fleet.promote(PromoteRequest.of("staging", to, "it"))) instanceof FleetResult.Done,
                "the promotion to be accepted (last answer: " + (last[0] == null ? "-" : last[0].message()) + ")");
    }

    /** Points {@code channel} at {@code version} by compare-and-set, as a promotion does. */
    ChannelPointer move(String channel, long version) {
        Optional<ChannelPointer> old = store.channel(channel).value();
        Instant now = Instant.now();
        ChannelPointer next = new ChannelPointer(channel, version, old.map(ChannelPointer::version).orElse(0L), null,
                null, now, "it", 0);
        return store.move(next, old.map(ChannelPointer::modRevision).orElse(0L), new HistoryEntry(now, channel,
                next.previous(), version, "promote", "it", null, false)).value();
    }

    /** Every state a node reported from etcd revision {@code from} on, through a real etcd watch. */
    final class StateLog implements AutoCloseable {
        final List<String> states = new CopyOnWriteArrayList<>();
        final Client client = Client.builder().endpoints(etcd.endpoints()).build();
        final Watch.Watcher watcher;

        StateLog(String node, long from) {
            ByteSequence key = ByteSequence.from(PREFIX + "/nodes/" + node, StandardCharsets.UTF_8);
            watcher = client.getWatchClient().watch(key, WatchOption.builder().withRevision(from).build(),
                    response -> {
                        for (WatchEvent e : response.getEvents()) {
                            if (e.getEventType() == WatchEvent.EventType.PUT) {
                                try {
                                    states.add(JSON.readTree(e.getKeyValue().getValue().getBytes()).get("state")
                                            .asText());
                                } catch (IOException ex) {
                                    states.add("unreadable: " + ex);
                                }
                            }
                        }
                    });
        }

        @Override
        public void close() {
            watcher.close();
            client.close();
        }
    }

    /** A real upstream: answers every request with {@code upstream=<name>}. */
    static HttpServer upstream(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", exchange -> {
            byte[] body = ("upstream=" + name + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        s.start();
        return s;
    }

    /** The seed's add_backend.sh, unchanged but for its API address (it is written for localhost:5555). */
    Path seedScript(Node staging) throws IOException {
        Path root = Path.of(System.getProperty("flagman.root", "..")).toAbsolutePath().normalize();
        String script = Files.readString(root.resolve("e2e/seed/add_backend.sh"));
        assertThat(script).contains("API_URL=\"http://localhost:5555\"");
        Path copy = staging.home.resolve("add_backend.sh");
        Files.writeString(copy, script.replace("API_URL=\"http://localhost:5555\"",
                "API_URL=\"http://127.0.0.1:" + staging.api + "\""));
        assertThat(copy.toFile().setExecutable(true)).isTrue();
        return copy;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aStagingChangeIsServedByStagingOnlyUntilPromotedAndAVersionThatFailsOnOneNodeLeavesItWhereItWas()
            throws Exception {
        HttpServer app1 = upstream("app1");
        try {
            Node staging = new Node("stage-1", "staging").start();
            Node prod1 = new Node("prod-1", "production").start();
            Node prod2 = new Node("prod-2", "production").start();
            awaitReported(staging, NodeStatus.OK, 1);
            promote("production");
            awaitReported(prod1, NodeStatus.OK, 1);
            awaitReported(prod2, NodeStatus.OK, 1);

            // the seed's own script adds a route on staging, through its Data Plane API
            ProcessBuilder seedRun = new ProcessBuilder(seedScript(staging).toString(), "app1",
                    "127.0.0.1:" + app1.getAddress().getPort(), "app1.example.com", "http-in")
                    .directory(staging.home.toFile()).redirectErrorStream(true);
            seedRun.environment().putAll(Map.of("API_USER", "admin", "API_PASS", PASSWORD));
            Process seed = seedRun.start();
            seed.getOutputStream().close();
            String seedOut = new String(seed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(seed.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(seed.exitValue()).as(seedOut).isZero();
            long added = channelVersion("staging");
            assertThat(added).as(seedOut).isEqualTo(5); // four writes: backend, server, acl, rule
            awaitReported(staging, NodeStatus.OK, added);
            assertThat(served(staging.http, "app1.example.com").body()).contains("upstream=app1");
            assertThat(served(prod1.http, "app1.example.com")).isEqualTo(new Curl(404, "not found"));
            assertThat(served(prod2.http, "app1.example.com")).isEqualTo(new Curl(404, "not found"));
            assertThat(store.versionInfo(added).value().orElseThrow().author()).isEqualTo("admin");

            // production takes no direct writes
            Curl refused = curlApi(prod1, "-X", "POST", "-H", "Content-Type: application/json", "-d",
                    "{\"name\":\"direct\"}", prod1.apiUrl("/v3/services/haproxy/configuration/backends?version=1"));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(JSON.readTree(refused.body()).get("message").asText()).isEqualTo("this node follows channel"
                    + " 'production', which takes no direct writes: change staging and run `flagman promote --from"
                    + " staging --to production`");
            assertThat(prod1.file()).doesNotContain("direct");
            // … but serves every read
            assertThat(curlApi(prod1, prod1.apiUrl("/v3/services/haproxy/configuration/backends")).status())
                    .isEqualTo(200);

            promote("production");
            await(() -> serves(prod1.http, "app1.example.com", "upstream=app1"), "prod-1 serves the route");
            await(() -> serves(prod2.http, "app1.example.com", "upstream=app1"), "prod-2 serves the route");
            awaitReported(prod1, NodeStatus.OK, added);
            awaitReported(prod2, NodeStatus.OK, added);

            // a version that applies on staging and prod-2 but not on prod-1, whose EXTRA_PORT is taken here
            try (ServerSocket taken = new ServerSocket(prod1.extra, 50, InetAddress.getLoopbackAddress())) {
                String raw = curlApi(staging, staging.apiUrl("/v3/services/haproxy/configuration/raw")).body();
                String next = raw + "\nfrontend extra\n  mode http\n  bind \"127.0.0.1:${EXTRA_PORT}\"\n"
                        + "  http-request return status 200 content-type \"text/plain\" string \"extra\"\n";
                Curl posted = curlApi(staging, "-X", "POST", "-H", "Content-Type: text/plain", "-H",
                        "X-Flagman-Message: an extra frontend", "--data-binary", next,
                        staging.apiUrl("/v3/services/haproxy/configuration/raw?version=" + added));
                assertThat(posted.status()).as(posted.body()).isIn(201, 202);
                long extra = added + 1;
                awaitReported(staging, NodeStatus.OK, extra);
                assertThat(served(staging.extra, "x").body()).isEqualTo("extra");
                promote("production");
                awaitReported(prod2, NodeStatus.OK, extra);
                assertThat(served(prod2.extra, "x").body()).isEqualTo("extra");
                awaitReported(prod1, NodeStatus.ERROR, added);
                assertThat(reported(prod1.name).orElseThrow().lastError())
                        .contains("version " + extra + " of channel 'production' was not applied")
                        .contains("this node stays on version " + added)
                        .contains(Integer.toString(prod1.extra));
                assertThat(prod1.file()).startsWith("# _version=" + added + "\n").doesNotContain("frontend extra");
                assertThat(served(prod1.http, "app1.example.com").body()).contains("upstream=app1");
                assertThat(taken.isBound()).isTrue();
            }
        } finally {
            app1.stop(0);
        }
    }

    @Test
    void withEtcdStoppedTrafficNeverFailsWritesAre503AndTheNodesCatchUpWhenItIsBack() throws Exception {
        Node staging = new Node("stage-1", "staging").start();
        Node prod1 = new Node("prod-1", "production").start();
        awaitReported(staging, NodeStatus.OK, 1);
        promote("production");
        awaitReported(prod1, NodeStatus.OK, 1);
        Node late = new Node("prod-3", "production");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (Node n : List.of(staging, prod1)) {
            Thread t = Thread.ofPlatform().name("client-" + n.name).start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + n.http + "/")).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 404 && r.body().equals("not found")
                                || r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(n.name + ": " + r.statusCode() + " " + r.body());
                        }
                    } catch (IOException e) {
                        failures.add(n.name + ": " + e);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            clients.add(t);
        }
        long revision = store.revision().value();
        try (StateLog lateStates = new StateLog(late.name, revision + 1)) {
            String fileBefore = staging.file();
            etcd.stop(0);
            long during = ok.get();
            Curl write = curlApi(staging, "-X", "POST", "-H", "Content-Type: application/json", "-d",
                    "{\"name\":\"while-away\"}",
                    staging.apiUrl("/v3/services/haproxy/configuration/backends?version=1"));
            assertThat(write.status()).as(write.body()).isEqualTo(503);
            assertThat(JSON.readTree(write.body()).get("message").asText()).isEqualTo("the cluster store (etcd at "
                    + etcd.endpointList() + ") is unreachable: nothing was changed; retry when it is back");
            assertThat(staging.file()).isEqualTo(fileBefore);
            assertThat(curlApi(staging, staging.apiUrl("/v3/services/haproxy/configuration/version")).body().strip())
                    .isEqualTo("1");
            // a node started now serves its file
            late.start();
            assertThat(served(late.http, "x")).isEqualTo(new Curl(404, "not found"));
            late.process.awaitLog("is unreachable", 1, WAIT);
            await(() -> ok.get() > during + 200, "traffic while etcd is down");

            etcd.start(0);
            // the first write once etcd is back publishes version 2 (a 503 until the client has reconnected)
            Curl[] after = new Curl[1];
            await(() -> {
                try {
                    after[0] = curlApi(staging, "-X", "POST", "-H", "Content-Type: application/json", "-d",
                            "{\"name\":\"after\",\"mode\":\"http\"}",
                            staging.apiUrl("/v3/services/haproxy/configuration/backends?version=1"));
                } catch (IOException | InterruptedException e) {
                    return false;
                }
                return after[0].status() != 503;
            }, "a write accepted once etcd is back");
            assertThat(after[0].status()).as(after[0].body()).isEqualTo(202);
            awaitReported(staging, NodeStatus.OK, 2);
            promote("production");
            awaitReported(prod1, NodeStatus.OK, 2);
            awaitReported(late, NodeStatus.OK, 2);
            assertThat(prod1.file()).contains("backend after").doesNotContain("while-away");
            assertThat(late.file()).startsWith("# _version=2\n").contains("backend after");
            await(() -> lateStates.states.contains(NodeStatus.OK), "prod-3's reports");
            assertThat(lateStates.states.getFirst()).as("prod-3 reported %s", lateStates.states)
                    .isEqualTo(NodeStatus.STALE);
        } finally {
            running.set(false);
            for (Thread t : clients) {
                t.join(10_000);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(200);
    }

    @Test
    void aNodeKilledRightAfterThePointerMovesRestartsOnItsFileAndCatchesUpAndAHandEditIsDrift() throws Exception {
        ChannelPointer v1 = store.publish("staging", 0, CONFIG, "it", "one").value();
        move("production", v1.version());
        Node prod = new Node("prod-1", "production").startFromYaml();
        awaitReported(prod, NodeStatus.OK, v1.version());
        String v1File = prod.file();
        assertThat(v1File).isEqualTo("# _version=1\n" + CONFIG);

        String v2Text = CONFIG.replace("string \"not found\"", "string \"version two\"");
        ChannelPointer v2 = store.publish("staging", v1.modRevision(), v2Text, "it", "two").value();
        move("production", v2.version());
        prod.process.signal("KILL");
        prod.process.awaitExit(WAIT);
        // killed during the apply: the file is one whole version or the other, never a mix
        assertThat(prod.file()).isIn(v1File, "# _version=2\n" + v2Text);

        prod.startFromYaml();
        await(() -> serves(prod.http, "x", "version two"), "the restarted node serves version 2");
        awaitReported(prod, NodeStatus.OK, v2.version());
        String v2File = prod.file();
        assertThat(v2File).isEqualTo("# _version=2\n" + v2Text);

        // a hand edit on a production node: reported as drift, reverted, kept as a draft
        long revision = store.revision().value();
        try (StateLog states = new StateLog(prod.name, revision + 1)) {
            String edited = v2File.replace("maxconn 256", "maxconn 4096");
            Files.writeString(prod.file, edited);
            await(() -> states.states.contains(NodeStatus.DRIFTED), "drift reported (reports: " + states.states
                    + ")");
            await(() -> {
                try {
                    return prod.file().equals(v2File);
                } catch (IOException e) {
                    return false;
                }
            }, "the file put back to version 2");
            awaitReported(prod, NodeStatus.OK, v2.version());
            List<Draft> drafts = store.drafts(prod.name).value();
            assertThat(drafts).singleElement().satisfies(d -> {
                assertThat(d.baseVersion()).isEqualTo(2);
                assertThat(d.text()).isEqualTo(edited);
                assertThat(d.diff()).contains("-  maxconn 256\n+  maxconn 4096\n");
            });
            assertThat(served(prod.http, "x").body()).isEqualTo("version two");
        }
        ConfigVersion current = store.version(channelVersion("production")).value().orElseThrow();
        assertThat(VersionLine.strip(prod.file())).isEqualTo(current.text());
    }
}
