package io.flagman.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagman.control.RuntimeStats.Kind;
import io.flagman.control.RuntimeStats.Row;
import io.flagman.control.model.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime and stats endpoints' shapes, filters, status codes and auth, over the control plane's ports (the
 * data plane behind them is exercised by flagman-app's {@code RuntimeStatsApiTest}).
 */
class RuntimeEndpointsTest {

    private static final String CFG = ApiFixture.CONFIG + "\nbackend app\n  mode http\n  server s1 127.0.0.1:9001\n";
    private static final String STATS = "/v3/services/haproxy/stats/native";
    private static final String SERVERS = "/v3/services/haproxy/runtime/backends/app/servers";

    @TempDir
    Path dir;

    /** Rows as the data plane's model hands them over: every non-empty cell by its column name. */
    static final class FixedStats implements RuntimeStats {
        @Override
        public Reading read() {
            List<Row> rows = new ArrayList<>();
            rows.add(new Row(Kind.FRONTEND, "http-in", "FRONTEND", cells("pxname", "http-in", "svname", "FRONTEND",
                    "scur", 0L, "stot", 12L, "status", "OPEN", "req_tot", 12L, "conn_tot", 3L, "wrew", 0L)));
            rows.add(new Row(Kind.LISTENER, "http-in", "sock-1", cells("scur", 0L, "status", "OPEN")));
            rows.add(new Row(Kind.SERVER, "app", "s1", cells("scur", 1L, "stot", 10L, "status", "DOWN",
                    "check_status", "L4CON", "req_tot", 10L, "weight", 1L, "sid", 1L, "iid", 2L)));
            rows.add(new Row(Kind.BACKEND, "app", "BACKEND", cells("stot", 10L, "status", "DOWN", "algo",
                    "roundrobin")));
            rows.add(new Row(Kind.SERVER, "other", "s1", cells("stot", 0L, "status", "no check")));
            rows.add(new Row(Kind.BACKEND, "other", "BACKEND", cells("stot", 0L, "status", "UP")));
            Map<String, Object> info = cells("Name", "Flagman", "Version", "0.1", "Release_date", "2026/01/02",
                    "Nbthread", 2L, "Nbproc", 1L, "Uptime", "0d 0h00m05s", "Uptime_sec", 5L, "CumReq", 22L,
                    "Unstoppable Jobs", 0L, "Ulimit-n", 1024L, "description", "not in the spec");
            return new Reading(rows, info);
        }

        @Override
        public String runtimeApi() {
            return "/run/flagman.sock";
        }

        private static Map<String, Object> cells(Object... kv) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                m.put((String) kv[i], kv[i + 1]);
            }
            return m;
        }
    }

    private ApiFixture api() throws Exception {
        return new ApiFixture(dir, CFG, new StorageAndTransactionsTest.FakeRuntime(), new FixedStats()).start();
    }

    private static JsonNode json(HttpResponse<String> r) {
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> names(JsonNode stats) {
        List<String> out = new ArrayList<>();
        stats.get("stats").forEach(s -> out.add(s.get("type").asText() + ":"
                + (s.has("backend_name") ? s.get("backend_name").asText() + "/" : "") + s.get("name").asText()));
        return out;
    }

    @Test
    void nativeStatsServeTheSpecFieldsOfEveryFrontendBackendAndServer() throws Exception {
        try (ApiFixture api = api()) {
            HttpResponse<String> r = api.get(STATS);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode all = json(r);
            assertThat(all.get("runtimeAPI").asText()).isEqualTo("/run/flagman.sock");
            assertThat(names(all)).containsExactly("frontend:http-in", "server:app/s1", "backend:app",
                    "server:other/s1", "backend:other");
            JsonNode fe = all.get("stats").get(0);
            assertThat(fe.has("backend_name")).isFalse();
            // pxname/svname are the object's keys, wrew is not a property of native_stat_stats
            assertThat(fe.get("stats").toString())
                    .isEqualTo("{\"conn_tot\":3,\"req_tot\":12,\"scur\":0,\"status\":\"OPEN\",\"stot\":12}");
            JsonNode s1 = all.get("stats").get(1);
            assertThat(s1.get("backend_name").asText()).isEqualTo("app");
            assertThat(s1.get("stats").get("check_status").asText()).isEqualTo("L4CON");
            assertThat(s1.get("stats").get("req_tot").asLong()).isEqualTo(10);
            assertThat(all.get("stats").get(2).get("stats").get("algo").asText()).isEqualTo("roundrobin");
        }
    }

    @Test
    void nativeStatsFilterByTypeNameAndParent() throws Exception {
        try (ApiFixture api = api()) {
            assertThat(names(json(api.get(STATS + "?type=server")))).containsExactly("server:app/s1",
                    "server:other/s1");
            assertThat(names(json(api.get(STATS + "?type=backend&name=other")))).containsExactly("backend:other");
            assertThat(names(json(api.get(STATS + "?type=server&name=s1&parent=other"))))
                    .containsExactly("server:other/s1");
            assertThat(names(json(api.get(STATS + "?type=server&parent=app")))).containsExactly("server:app/s1");
            assertThat(names(json(api.get(STATS + "?type=frontend&name=ghost")))).isEmpty();

            HttpResponse<String> noType = api.get(STATS + "?name=app");
            assertThat(noType.statusCode()).isEqualTo(400);
            assertThat(json(noType).get("message").asText()).isEqualTo("Type required when filtering by name");
            HttpResponse<String> noParent = api.get(STATS + "?type=server&name=s1");
            assertThat(noParent.statusCode()).isEqualTo(400);
            assertThat(json(noParent).get("message").asText())
                    .isEqualTo("Parent required when filtering server by name");
            assertThat(api.get(STATS + "?type=listener").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void runtimeInfoNamesShowInfoFieldsAsTheSpecDoes() throws Exception {
        try (ApiFixture api = api()) {
            HttpResponse<String> r = api.get("/v3/services/haproxy/runtime/info");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.get("runtimeAPI").asText()).isEqualTo("/run/flagman.sock");
            assertThat(body.get("error").asText()).isEmpty();
            assertThat(body.get("info").toString()).isEqualTo("{\"cum_req\":22,\"nbthread\":2,\"processes\":1,"
                    + "\"release_date\":\"2026-01-02\",\"ulimit_n\":1024,\"unstoppable\":0,\"uptime\":5,"
                    + "\"version\":\"0.1\"}");
        }
    }

    @Test
    void everyRuntimeEndpointRequiresAuth() throws Exception {
        try (ApiFixture api = api()) {
            for (String path : List.of(STATS, "/v3/services/haproxy/runtime/info", SERVERS, SERVERS + "/s1")) {
                assertThat(api.send("GET", path, null, null, false).statusCode()).as(path).isEqualTo(401);
            }
            assertThat(api.send("PUT", SERVERS + "/s1", "{\"admin_state\":\"maint\"}", "application/json", false)
                    .statusCode()).isEqualTo(401);
            assertThat(api.send("DELETE", SERVERS + "/s1", null, null, false).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void runtimeServersListGetAndReplace() throws Exception {
        StorageAndTransactionsTest.FakeRuntime runtime = new StorageAndTransactionsTest.FakeRuntime();
        try (ApiFixture api = new ApiFixture(dir, CFG, runtime, new FixedStats()).start()) {
            JsonNode list = json(api.get(SERVERS));
            assertThat(list.toString()).isEqualTo("[{\"address\":\"127.0.0.1\",\"admin_state\":\"ready\","
                    + "\"backend_id\":2,\"backend_name\":\"app\",\"id\":\"1\",\"iweight\":1,\"last_time_change\":0,"
                    + "\"name\":\"s1\",\"operational_state\":\"up\",\"port\":9001,\"uweight\":1,\"weight\":1}]");
            assertThat(api.get("/v3/services/haproxy/runtime/backends/ghost/servers").statusCode()).isEqualTo(404);

            // the body of HAProxy's DPA e2e test: an unchanged operational state is no change
            HttpResponse<String> same = api.send("PUT", SERVERS + "/s1",
                    "{\"admin_state\":\"ready\",\"operational_state\":\"up\",\"weight\":100}");
            assertThat(same.statusCode()).isEqualTo(200);
            assertThat(json(same).get("weight").asInt()).isEqualTo(100);

            HttpResponse<String> down = api.send("PUT", SERVERS + "/s1", "{\"operational_state\":\"down\"}");
            assertThat(down.statusCode()).isEqualTo(200);
            assertThat(json(down).get("operational_state").asText()).isEqualTo("down");
            assertThat(runtime.states.get("app/s1").operationalState()).isEqualTo("down");

            HttpResponse<String> bad = api.send("PUT", SERVERS + "/s1",
                    "{\"operational_state\":\"up\",\"weight\":7,\"admin_state\":\"sleeping\"}");
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(runtime.states.get("app/s1").weight()).as("a refused body changes nothing").isEqualTo(100);
            assertThat(runtime.states.get("app/s1").operationalState()).isEqualTo("down");

            HttpResponse<String> moved = api.send("PUT", SERVERS + "/s1", "{\"address\":\"127.0.0.2\",\"port\":9002}");
            assertThat(json(moved).get("address").asText()).isEqualTo("127.0.0.2");
            assertThat(json(moved).get("port").asInt()).isEqualTo(9002);
            assertThat(api.send("PUT", SERVERS + "/s1", "{\"weight\":257}").statusCode()).isEqualTo(422);
            assertThat(api.send("PUT", SERVERS + "/ghost", "{\"weight\":1}").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void addAndDeleteAnswerInTheApiErrorShapeWhileTheDataPlaneCannotDoThem() throws Exception {
        StorageAndTransactionsTest.FakeRuntime runtime = new StorageAndTransactionsTest.FakeRuntime();
        try (ApiFixture api = new ApiFixture(dir, CFG, runtime, new FixedStats()).start()) {
            HttpResponse<String> noName = api.send("POST", SERVERS, "{\"address\":\"127.0.0.1\",\"port\":9003}");
            assertThat(noName.statusCode()).isEqualTo(400);
            assertThat(json(noName).get("message").asText()).isEqualTo("the new server must have a name");

            HttpResponse<String> ghost = api.send("POST", "/v3/services/haproxy/runtime/backends/ghost/servers",
                    "{\"name\":\"s9\",\"address\":\"127.0.0.1\",\"port\":9003}");
            assertThat(ghost.statusCode()).isEqualTo(404);

            HttpResponse<String> add = api.send("POST", SERVERS,
                    "{\"name\":\"s9\",\"address\":\"127.0.0.1\",\"port\":9003,\"check\":\"enabled\"}");
            assertThat(add.statusCode()).isEqualTo(501);
            assertThat(json(add).get("code").asInt()).isEqualTo(501);
            assertThat(json(add).get("message").asText()).contains("adding servers at runtime is not available");

            HttpResponse<String> del = api.send("DELETE", SERVERS + "/s1", null);
            assertThat(del.statusCode()).isEqualTo(501);
            assertThat(runtime.states.get("app/s1").adminState())
                    .as("a refused delete leaves the server as it was").isEqualTo(RuntimeServers.AdminState.READY);
            assertThat(api.send("DELETE", SERVERS + "/ghost", null).statusCode()).isEqualTo(404);
            assertThat(api.version()).isEqualTo(1);
        }
    }
}
