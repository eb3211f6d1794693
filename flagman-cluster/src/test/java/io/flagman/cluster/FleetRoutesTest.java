package io.flagman.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagman.control.ApiSettings;
import io.flagman.control.ControlPlane;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v3/fleet/...} over real HTTP (a control plane on loopback with the fleet routes registered the way a
 * node registers them) against a real etcd: reads, promote (refused while staging has not applied, then done,
 * then the history and diff), rollback, actions, bad input 400, no credentials 401, etcd away 503. No data plane
 * runs here (this module cannot reach one): the control plane's applier accepts every configuration.
 */
@Timeout(90)
class FleetRoutesTest {
    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.single();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @TempDir
    Path dir;

    private EtcdStore store;
    private EtcdStore nodeStore;
    private ControlPlane plane;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private void start(String prefix) throws Exception {
        // the default 2 s deadline (the 503 case), once the client is warm
        store = EtcdProcess.awaitReady(EtcdStore.connect(etcd.endpoints(), prefix));
        nodeStore = etcd.store(prefix);
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                userlist dataplane_users
                  user admin insecure-password adminpass
                defaults
                  mode http
                frontend http-in
                  bind 127.0.0.1:18080
                  default_backend app
                backend app
                  server web1 127.0.0.1:9
                """);
        ApiSettings settings = ApiSettings.of(cfg, "127.0.0.1", 0).withUserlist("dataplane_users");
        plane = new ControlPlane(settings, c -> { }, null, ControlPlane.Options.defaults()
                .withRoutes(new FleetRoutes(new Fleet(store), new FleetActions(store, Clock.systemUTC()))));
        InetSocketAddress a = plane.start();
        base = "http://127.0.0.1:" + a.getPort();
    }

    @AfterEach
    void stop() {
        if (plane != null) {
            plane.close();
        }
        if (nodeStore != null) {
            nodeStore.close();
        }
        if (store != null) {
            store.close();
        }
        if (!etcd.running(0)) {
            etcd.start(0);
        }
    }

    private HttpResponse<String> call(String method, String path, String body, boolean auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (auth) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:adminpass"
                    .getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return call("GET", path, null, true);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return call("POST", path, body, true);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return ClusterJson.mapper().readTree(r.body());
    }

    private void report(String node, String channel, long version, String state) {
        Instant now = Instant.now();
        assertThat(nodeStore.report(new NodeStatus(node, channel, version, "x", state, null, Health.none(), "test",
                now, now, null)).isOk()).isTrue();
    }

    @Test
    void readsPromoteRollbackHistoryAndDiffOverHttp() throws Exception {
        start("/test/routes");
        ChannelPointer s1 = store.publish("staging", 0, "global\n  maxconn 100\n", "alice", "first").value();
        store.publish("production", 0, "global\n  maxconn 100\n", "alice", "prod bootstrap").value();
        store.publish("staging", s1.modRevision(), "global\n  maxconn 200\n", "alice", "more").value();
        report("stage-1", "staging", 3, NodeStatus.OK);

        assertThat(call("GET", "/v3/fleet/channels", null, false).statusCode()).isEqualTo(401);
        HttpResponse<String> channels = get("/v3/fleet/channels");
        assertThat(channels.statusCode()).isEqualTo(200);
        assertThat(json(channels)).extracting(n -> n.get("channel").asText() + "=" + n.get("version").asInt())
                .containsExactlyInAnyOrder("staging=3", "production=2");
        assertThat(json(get("/v3/fleet/versions"))).hasSize(3);
        assertThat(get("/v3/fleet/versions/3?raw=1").body()).isEqualTo("global\n  maxconn 200\n");
        JsonNode v3 = json(get("/v3/fleet/versions/3"));
        assertThat(v3.get("author").asText()).isEqualTo("alice");
        assertThat(v3.get("text").asText()).isEqualTo("global\n  maxconn 200\n");
        assertThat(get("/v3/fleet/versions/9").statusCode()).isEqualTo(404);
        assertThat(get("/v3/fleet/versions/x").statusCode()).isEqualTo(400);
        HttpResponse<String> diff = get("/v3/fleet/diff?from=2&to=3");
        assertThat(diff.statusCode()).isEqualTo(200);
        assertThat(diff.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(diff.body()).contains("-  maxconn 100").contains("+  maxconn 200");
        assertThat(get("/v3/fleet/diff?from=2").statusCode()).isEqualTo(400);

        // a staging node that has not applied version 3 yet: refused, 409, nothing moves
        report("stage-2", "staging", 1, NodeStatus.ERROR);
        HttpResponse<String> refused = post("/v3/fleet/promote", "{\"from\":\"staging\",\"to\":\"production\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(json(refused).get("message").asText()).contains("stage-2").contains("--force");
        assertThat(store.channel("production").value().orElseThrow().version()).isEqualTo(2);

        report("stage-2", "staging", 3, NodeStatus.OK);
        HttpResponse<String> promoted = post("/v3/fleet/promote", "{\"from\":\"staging\",\"to\":\"production\","
                + "\"confirm\":\"60s\"}");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        JsonNode p = json(promoted);
        assertThat(p.get("pointer").get("version").asInt()).isEqualTo(3);
        assertThat(p.get("pointer").get("confirm").get("rollbackTo").asInt()).isEqualTo(2);
        assertThat(p.get("pointer").get("confirm").get("maxHttp5xxRate").asDouble()).isEqualTo(0.05);
        assertThat(p.get("history").get("by").asText()).isEqualTo("admin");
        assertThat(p.get("message").asText()).isEqualTo("promoted version 3 from staging to production (was 2)");

        HttpResponse<String> back = post("/v3/fleet/rollback", "{\"channel\":\"production\",\"to\":2}");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(store.channel("production").value().orElseThrow().version()).isEqualTo(2);
        assertThat(json(get("/v3/fleet/history?channel=production")))
                .extracting(h -> h.get("action").asText() + ":" + h.get("to").asInt() + ":" + h.get("by").asText())
                .containsExactly("publish:2:alice", "promote:3:admin", "rollback:2:admin");
        assertThat(json(get("/v3/fleet/history"))).hasSize(5);
        assertThat(json(get("/v3/fleet/nodes"))).extracting(n -> n.get("node").asText())
                .containsExactlyInAnyOrder("stage-1", "stage-2");

        // bad input is a 400 naming the field
        HttpResponse<String> missing = post("/v3/fleet/promote", "{\"to\":\"production\"}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).get("message").asText()).contains("from");
        HttpResponse<String> badConfirm = post("/v3/fleet/promote", "{\"from\":\"staging\",\"to\":\"production\","
                + "\"confirm\":\"soon\"}");
        assertThat(badConfirm.statusCode()).isEqualTo(400);
        assertThat(json(badConfirm).get("message").asText()).isEqualTo("confirm: 'soon' is not a duration (e.g. 60s,"
                + " 2m, 500ms)");
        assertThat(post("/v3/fleet/rollback", "{\"channel\":\"production\",\"to\":99}").statusCode()).isEqualTo(400);
    }

    @Test
    void actionsAreAnsweredByEveryNodeAndEtcdAwayIs503() throws Exception {
        start("/test/routes-actions");
        report("prod-1", "production", 1, NodeStatus.OK);
        FleetActionsTest.Runtime runtime = new FleetActionsTest.Runtime();
        try (ActionRunner runner = ActionRunner.start(nodeStore, "prod-1", "production", runtime,
                Clock.systemUTC())) {
            HttpResponse<String> done = post("/v3/fleet/actions", "{\"channel\":\"production\","
                    + "\"command\":\"set server app/web2 state maint\"}");
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            JsonNode r = json(done);
            assertThat(r.get("ok").asBoolean()).isTrue();
            assertThat(r.get("message").asText()).isEqualTo("prod-1: ok: app/web2 state maint (was ready)");
            assertThat(r.get("action").get("by").asText()).isEqualTo("admin");
            assertThat(runtime.states.get("web2")).isEqualTo(io.flagman.control.RuntimeServers.AdminState.MAINT);

            HttpResponse<String> refused = post("/v3/fleet/actions", "{\"channel\":\"production\","
                    + "\"command\":\"set server app/web2 weight 3\"}");
            assertThat(refused.statusCode()).isEqualTo(400);
            HttpResponse<String> nobody = post("/v3/fleet/actions", "{\"channel\":\"staging\","
                    + "\"command\":\"set server app/web2 state drain\"}");
            assertThat(nobody.statusCode()).isEqualTo(409);
            assertThat(json(nobody).get("message").asText()).isEqualTo("no live node follows channel 'staging'");
            HttpResponse<String> failed = post("/v3/fleet/actions", "{\"channel\":\"production\","
                    + "\"command\":\"set server app/zzz state drain\"}");
            assertThat(failed.statusCode()).isEqualTo(409);
            assertThat(json(failed).get("message").asText()).isEqualTo("prod-1: failed: No such server app/zzz on"
                    + " this node.");
        }

        etcd.stop(0);
        HttpResponse<String> away = post("/v3/fleet/rollback", "{\"channel\":\"production\",\"to\":1}");
        assertThat(away.statusCode()).isEqualTo(503);
        assertThat(json(away).get("message").asText()).startsWith("etcd is unavailable (");
        assertThat(get("/v3/fleet/channels").statusCode()).isEqualTo(503);
    }
}
