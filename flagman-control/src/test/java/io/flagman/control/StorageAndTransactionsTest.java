package io.flagman.control;

import static io.flagman.control.ApiFixture.CFG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class StorageAndTransactionsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void aTransactionCommitsItsChangesAsOneVersionAndOutdatesTheOthers() throws Exception {
        try (ApiFixture api = new ApiFixture(dir).start()) {
            HttpResponse<String> t1 = api.send("POST", "/v3/services/haproxy/transactions?version=1", "/dev/null");
            assertThat(t1.statusCode()).isEqualTo(201);
            JsonNode tx = json(t1);
            assertThat(tx.get("_version").asLong()).isEqualTo(1);
            assertThat(tx.get("status").asText()).isEqualTo("in_progress");
            String id = tx.get("id").asText();
            String id2 = json(api.send("POST", "/v3/services/haproxy/transactions?version=1", null)).get("id").asText();
            assertThat(Files.exists(dir.resolve("haproxy.cfg.transactions").resolve("haproxy.cfg." + id))).isTrue();

            HttpResponse<String> s1 = api.send("POST", CFG + "/backends?transaction_id=" + id,
                    "{\"name\":\"staged\",\"mode\":\"http\"}");
            assertThat(s1.statusCode()).isEqualTo(202);
            assertThat(s1.headers().firstValue("Reload-Id")).isEmpty();
            assertThat(s1.headers().firstValue("Configuration-Version")).hasValue("1");
            assertThat(api.send("POST", CFG + "/backends/staged/servers?transaction_id=" + id,
                    "{\"name\":\"s1\",\"address\":\"127.0.0.1\",\"port\":9000,\"weight\":10}").statusCode())
                    .isEqualTo(202);
            // staged: visible in the transaction, not live
            assertThat(api.get(CFG + "/backends/staged?transaction_id=" + id).statusCode()).isEqualTo(200);
            assertThat(api.get(CFG + "/backends/staged").statusCode()).isEqualTo(404);
            assertThat(api.file()).doesNotContain("staged");
            assertThat(api.send("POST", CFG + "/backends?transaction_id=" + id + "&force_reload=true", "{}")
                    .body()).contains("Both force_reload and transaction specified");

            HttpResponse<String> commit = api.send("PUT", "/v3/services/haproxy/transactions/" + id, null);
            assertThat(commit.statusCode()).isEqualTo(202);
            assertThat(commit.headers().firstValue("Reload-Id")).isPresent();
            assertThat(json(commit).toString()).isEqualTo("{\"_version\":1,\"id\":\"" + id
                    + "\",\"status\":\"success\"}");
            assertThat(api.version()).isEqualTo(2);
            assertThat(api.file()).startsWith("# _version=2\n")
                    .contains("backend staged\n  mode http\n  server s1 127.0.0.1:9000 weight 10\n");
            assertThat(api.applier.applied.getLast().backend("staged")).isPresent();
            assertThat(Files.exists(dir.resolve("haproxy.cfg.transactions").resolve("haproxy.cfg." + id))).isFalse();

            HttpResponse<String> second = api.send("PUT", "/v3/services/haproxy/transactions/" + id2, null);
            assertThat(second.statusCode()).isEqualTo(406);
            assertThat(json(second).get("message").asText())
                    .isEqualTo("transaction " + id2 + " is outdated and cannot be committed");
            assertThat(api.version()).isEqualTo(2);
            assertThat(api.send("PUT", "/v3/services/haproxy/transactions/nope", null).statusCode()).isEqualTo(404);
            assertThat(api.get(CFG + "/backends?transaction_id=nope").statusCode()).isEqualTo(400);

            String id3 = json(api.send("POST", "/v3/services/haproxy/transactions?version=2", null)).get("id")
                    .asText();
            assertThat(api.send("DELETE", "/v3/services/haproxy/transactions/" + id3, null).statusCode())
                    .isEqualTo(204);
            assertThat(api.get("/v3/services/haproxy/transactions/" + id3).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void atMostMaxOpenTransactions() throws Exception {
        try (ApiFixture api = new ApiFixture(dir).start()) {
            for (int i = 0; i < 20; i++) {
                assertThat(api.send("POST", "/v3/services/haproxy/transactions?version=1", null).statusCode())
                        .isEqualTo(201);
            }
            HttpResponse<String> r = api.send("POST", "/v3/services/haproxy/transactions?version=1", null);
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("reached the maximum amount of 20 active transactions available");
            assertThat(json(api.get("/v3/services/haproxy/transactions?status=in_progress"))).hasSize(20);
        }
    }

    @Test
    void aFailedCommitChangesNothing() throws Exception {
        try (ApiFixture api = new ApiFixture(dir).start()) {
            String id = json(api.send("POST", "/v3/services/haproxy/transactions?version=1", null)).get("id")
                    .asText();
            assertThat(api.send("PUT", CFG + "/frontends/http-in?transaction_id=" + id,
                    "{\"name\":\"http-in\",\"mode\":\"http\",\"default_backend\":\"missing\"}").statusCode())
                    .isEqualTo(202);
            String before = api.file();
            HttpResponse<String> r = api.send("PUT", "/v3/services/haproxy/transactions/" + id, null);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("validation error: haproxy.cfg:").contains("missing");
            assertThat(api.file()).isEqualTo(before);
            assertThat(api.version()).isEqualTo(1);
            assertThat(json(api.get("/v3/services/haproxy/transactions?status=failed"))).hasSize(1);
            assertThat(api.send("PUT", "/v3/services/haproxy/transactions/" + id, null).statusCode()).isEqualTo(406);
        }
    }

    @Test
    void aRestartKeepsEveryAcknowledgedChangeAndOpenTransactions() throws Exception {
        try (ApiFixture api = new ApiFixture(dir).start()) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String name = "b" + i;
                HttpResponse<String> r = api.send("POST", CFG + "/backends?version=" + api.version(),
                        "{\"name\":\"" + name + "\",\"mode\":\"http\"}");
                assertThat(r.statusCode()).isEqualTo(202);
                names.add(name);
            }
            String tx = json(api.send("POST", "/v3/services/haproxy/transactions?version=6", null)).get("id")
                    .asText();
            api.send("POST", CFG + "/backends?transaction_id=" + tx, "{\"name\":\"later\"}");
            String before = api.file();
            api.restart();
            assertThat(api.version()).isEqualTo(6);
            assertThat(api.file()).isEqualTo(before);
            for (String n : names) {
                assertThat(api.get(CFG + "/backends/" + n).statusCode()).isEqualTo(200);
            }
            assertThat(api.applier.applied.getLast().backends()).extracting(b -> b.name()).containsAll(names);
            assertThat(api.get(CFG + "/backends/later?transaction_id=" + tx).statusCode()).isEqualTo(200);
            assertThat(api.send("PUT", "/v3/services/haproxy/transactions/" + tx, null).statusCode()).isEqualTo(202);
            assertThat(api.version()).isEqualTo(7);
        }
    }

    @Test
    void concurrentWritersExactlyOneWinsPerVersion() throws Exception {
        try (ApiFixture api = new ApiFixture(dir).start()) {
            int threads = 8;
            int rounds = 6;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < rounds; round++) {
                    long v = api.version();
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<Integer>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        String name = "r" + round + "t" + t;
                        results.add(pool.submit(() -> {
                            go.await(10, TimeUnit.SECONDS);
                            return api.send("POST", CFG + "/backends?version=" + v, "{\"name\":\"" + name + "\"}")
                                    .statusCode();
                        }));
                    }
                    go.countDown();
                    List<Integer> codes = new ArrayList<>();
                    for (Future<Integer> f : results) {
                        codes.add(f.get(30, TimeUnit.SECONDS));
                    }
                    assertThat(codes).filteredOn(c -> c == 202).hasSize(1);
                    assertThat(codes).filteredOn(c -> c == 409).hasSize(threads - 1);
                    assertThat(api.version()).isEqualTo(v + 1);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(json(api.get(CFG + "/backends"))).hasSize(1 + rounds);
        }
    }

    @Test
    void aHandEditIsPickedUpAndAnInvalidOneRefused() throws Exception {
        try (ApiFixture api = new ApiFixture(dir).start()) {
            String text = api.file().replace("\nbackend fallback-backend", "\nbackend extra\n  mode http\n\n"
                    + "backend fallback-backend");
            Files.writeString(api.config, text);
            api.plane.poll();
            assertThat(api.version()).isEqualTo(2);
            assertThat(api.file()).startsWith("# _version=2\n").contains("backend extra\n");
            assertThat(api.applier.applied.getLast().backend("extra")).isPresent();

            int applied = api.applier.applied.size();
            Files.writeString(api.config, api.file().replace("mode http\n", "mode htp\n"));
            api.plane.poll();
            assertThat(api.version()).isEqualTo(2);
            assertThat(api.applier.applied).hasSize(applied);
            // the API still works on the running configuration, and its next write fixes the file
            assertThat(api.send("POST", CFG + "/backends?version=2", "{\"name\":\"fixed\"}").statusCode())
                    .isEqualTo(202);
            assertThat(api.file()).doesNotContain("htp");
        }
    }

    @Test
    void anInvalidFileAtStartFallsBackToTheLastKnownGoodOne() throws Exception {
        try (ApiFixture api = new ApiFixture(dir).start()) {
            api.send("POST", CFG + "/backends?version=1", "{\"name\":\"kept\"}");
        }
        Files.writeString(dir.resolve("haproxy.cfg"), "frontend broken\n  bind\n");
        try (ApiFixture api = new ApiFixture(dir, null, RuntimeServers.NONE).start()) {
            assertThat(api.plane.startupWarning()).contains("last-known-good");
            assertThat(api.get(CFG + "/backends/kept").statusCode()).isEqualTo(200);
            assertThat(api.version()).isEqualTo(2);
        }
        Files.delete(dir.resolve("haproxy.cfg.lkg"));
        ApiFixture broken = new ApiFixture(dir, null, RuntimeServers.NONE);
        assertThatThrownBy(broken::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("haproxy.cfg:2");
        broken.close();
    }

    @Test
    void withoutUsersTheApiDoesNotStartAndSaysHowToAddOne() throws Exception {
        ApiFixture api = new ApiFixture(dir, ApiFixture.CONFIG.replace("  user admin insecure-password adminpass\n",
                ""), RuntimeServers.NONE);
        assertThatThrownBy(api::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("openssl passwd -6").hasMessageContaining("dataplane_users");
        api.close();
    }

    @Test
    void hashedPasswordsWork() throws Exception {
        String cfg = ApiFixture.CONFIG.replace("user admin insecure-password adminpass",
                "user admin password $5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5");
        try (ApiFixture api = new ApiFixture(dir, cfg, RuntimeServers.NONE)) {
            api.password = "Hello world!";
            api.start();
            assertThat(api.get(CFG + "/version").statusCode()).isEqualTo(200);
            api.password = "adminpass";
            assertThat(api.get(CFG + "/version").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void rawGetAndPostKeepTheBytes() throws Exception {
        try (ApiFixture api = new ApiFixture(dir).start()) {
            HttpResponse<String> get = api.get(CFG + "/raw");
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("# _version=1\n" + ApiFixture.CONFIG);
            assertThat(get.headers().firstValue("Configuration-Checksum")).isPresent();
            String edited = ApiFixture.CONFIG.replace("timeout server 10s", "timeout server 10s   # kept as typed");
            assertThat(api.send("POST", CFG + "/raw?only_validate=true", "frontend x\n  bogus\n", "text/plain", true)
                    .statusCode()).isEqualTo(400);
            assertThat(api.send("POST", CFG + "/raw?version=1", "global", "text/plain", true).body())
                    .contains("no newline character found");
            HttpResponse<String> post = api.send("POST", CFG + "/raw?version=1", edited, "text/plain", true);
            assertThat(post.statusCode()).isEqualTo(202);
            assertThat(post.headers().firstValue("Reload-Id")).isPresent();
            assertThat(api.file()).isEqualTo("# _version=2\n" + edited);
            assertThat(api.version()).isEqualTo(2);
        }
    }

    @Test
    void bodiesAboveTheLimitAre413() throws Exception {
        Files.writeString(dir.resolve("haproxy.cfg"), ApiFixture.CONFIG);
        ApiSettings settings = ApiSettings.of(dir.resolve("haproxy.cfg"), "127.0.0.1", 0)
                .withUserlist("dataplane_users").withMaxBodySize(1024);
        try (ControlPlane plane = new ControlPlane(settings, c -> { }, RuntimeServers.NONE)) {
            int port = plane.start().getPort();
            ApiFixture client = new ApiFixture(dir, null, RuntimeServers.NONE);
            client.base = "http://127.0.0.1:" + port;
            HttpResponse<String> r = client.send("POST", CFG + "/raw?version=1", "#".repeat(4096) + "\n",
                    "text/plain", true);
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.headers().firstValue("Configuration-Version")).hasValue("1");
        }
    }

    @Test
    void runtimeAdminStateGoesThroughTheApiAndNotIntoTheFile() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        String cfg = ApiFixture.CONFIG + "\nbackend app\n  mode http\n  server s1 127.0.0.1:9001\n";
        try (ApiFixture api = new ApiFixture(dir, cfg, runtime).start()) {
            String before = api.file();
            String path = "/v3/services/haproxy/runtime/backends/app/servers/s1";
            HttpResponse<String> r = api.send("PUT", path, "{\"admin_state\":\"maint\"}");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("admin_state").asText()).isEqualTo("maint");
            assertThat(runtime.states.get("app/s1").adminState()).isEqualTo(RuntimeServers.AdminState.MAINT);
            assertThat(json(api.get(path)).get("admin_state").asText()).isEqualTo("maint");
            assertThat(api.send("PUT", path, "{\"admin_state\":\"sleeping\"}").statusCode()).isEqualTo(422);
            assertThat(api.send("PUT", path, "{\"weight\":50,\"admin_state\":\"drain\"}").statusCode()).isEqualTo(200);
            assertThat(runtime.states.get("app/s1").weight()).isEqualTo(50);
            assertThat(api.get("/v3/services/haproxy/runtime/backends/app/servers/ghost").statusCode()).isEqualTo(404);
            assertThat(api.file()).isEqualTo(before);
            assertThat(api.version()).isEqualTo(1);
        }
    }

    /** A runtime port over a map, standing in for the data plane's server states. */
    static final class FakeRuntime implements RuntimeServers {
        final Map<String, State> states = new ConcurrentHashMap<>();

        FakeRuntime() {
            states.put("app/s1", new State("app", "s1", 1, 2, "127.0.0.1", 9001, AdminState.READY, "up", 1, 1, 0, 0, 0));
        }

        @Override
        public List<State> servers(String backend) {
            return states.values().stream().filter(s -> s.backend().equals(backend)).toList();
        }

        @Override
        public Optional<State> server(String backend, String name) {
            return Optional.ofNullable(states.get(backend + "/" + name));
        }

        @Override
        public boolean setAdminState(String backend, String name, AdminState state) {
            return states.computeIfPresent(backend + "/" + name, (k, s) -> new State(s.backend(), s.name(),
                    s.id(), s.backendId(), s.address(), s.port(), state, s.operationalState(), s.weight(),
                    s.initialWeight(), 0, 0, 0)) != null;
        }

        @Override
        public boolean setHealth(String backend, String name, String health) {
            return states.computeIfPresent(backend + "/" + name, (k, s) -> new State(s.backend(), s.name(),
                    s.id(), s.backendId(), s.address(), s.port(), s.adminState(), health.equals("down") ? "down" : "up", s.weight(),
                    s.initialWeight(), 0, 0, 0)) != null;
        }

        @Override
        public boolean setWeight(String backend, String name, int weight) {
            return states.computeIfPresent(backend + "/" + name, (k, s) -> new State(s.backend(), s.name(),
                    s.id(), s.backendId(), s.address(), s.port(), s.adminState(), s.operationalState(), weight,
                    s.initialWeight(), 0, 0, 0)) != null;
        }

        @Override
        public boolean setAddress(String backend, String name, String address, int port) {
            return states.computeIfPresent(backend + "/" + name, (k, s) -> new State(s.backend(), s.name(),
                    s.id(), s.backendId(), address, port, s.adminState(), s.operationalState(), s.weight(),
                    s.initialWeight(), 0, 0, 0)) != null;
        }
    }
}
