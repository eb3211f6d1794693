package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.flagman.control.ApiSettings;
import io.flagman.control.ControlPlane;
import io.flagman.proxy.DataPlane;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Data Plane API's {@code stats/native}, {@code runtime/info} and runtime servers on a real data plane with
 * real upstream traffic: counters after 10 requests, a stopped server's failed check, and a drain that takes effect
 * on the next request, the same in every endpoint.
 */
@Timeout(60)
class RuntimeStatsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATS = "/v3/services/haproxy/stats/native";
    private static final String SERVERS = "/v3/services/haproxy/runtime/backends/app/servers";

    @TempDir
    Path dir;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    private InetSocketAddress upstream(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        resources.add(() -> server.stop(0));
        return server.getAddress();
    }

    private Set<String> servedBy(int port, int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            seen.add(r.body());
        }
        return seen;
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    /** The stats of server {@code name} of backend app, as stats/native filters them. */
    private static JsonNode serverStats(Api api, String name) throws Exception {
        JsonNode all = json(api.get(STATS + "?type=server&name=" + name + "&parent=app")).get("stats");
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("backend_name").asText()).isEqualTo("app");
        return all.get(0).get("stats");
    }

    private static void await(String what, Api api, String name, Predicate<JsonNode> want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode last = serverStats(api, name);
        while (!want.test(last)) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what + "; last " + last).isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            last = serverStats(api, name);
        }
    }

    @Test
    void statsAndRuntimeServersFollowRealTrafficChecksAndDrain() throws Exception {
        InetSocketAddress s1 = upstream("s1");
        InetSocketAddress s3 = upstream("s3");
        int stopped = RuntimeAdminStateTest.freePort(); // nothing listens there
        int web = RuntimeAdminStateTest.freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, Api.config(web, "default_backend app", """
                backend app
                  balance roundrobin
                  server s1 127.0.0.1:%d
                  server s2 127.0.0.1:%d check inter 100ms fall 1 rise 1
                  server s3 127.0.0.1:%d disabled
                """.formatted(s1.getPort(), stopped, s3.getPort())));
        DataPlane dataPlane = new DataPlane(1);
        resources.add(dataPlane);
        ControlPlane controlPlane = new ControlPlane(ApiSettings.of(cfg, "127.0.0.1", 0), dataPlane::apply,
                new DataPlaneRuntime(dataPlane), new DataPlaneStats(dataPlane));
        resources.add(controlPlane);
        Api api = new Api(controlPlane.start(), "admin", "secret");

        // The stopped server's check fails at layer 4: DOWN in stats/native and in the runtime servers.
        await("s2 DOWN", api, "s2", s -> s.path("status").asText().equals("DOWN"));
        JsonNode s2 = serverStats(api, "s2");
        assertThat(s2.get("check_status").asText()).isEqualTo("L4CON");
        assertThat(s2.get("check_desc").asText()).isEqualTo("Layer4 connection problem");
        JsonNode s2Runtime = json(api.get(SERVERS + "/s2"));
        assertThat(s2Runtime.get("operational_state").asText()).isEqualTo("down");
        assertThat(s2Runtime.get("id").asText()).isEqualTo("2");
        assertThat(json(api.get(SERVERS + "/s3")).get("admin_state").asText()).isEqualTo("maint");
        assertThat(serverStats(api, "s3").get("status").asText()).isEqualTo("MAINT");

        // 10 requests, all to s1 (s2 is down, s3 in maintenance): its counters say 10.
        assertThat(servedBy(web, 10)).containsExactly("s1");
        JsonNode st1 = serverStats(api, "s1");
        assertThat(st1.get("stot").asLong()).isEqualTo(10);
        assertThat(st1.get("req_tot").asLong()).isEqualTo(10);
        assertThat(st1.get("status").asText()).isEqualTo("no check");
        assertThat(st1.get("addr").asText()).isEqualTo("127.0.0.1:" + s1.getPort());
        assertThat(st1.has("pxname")).as("keys are the object's name, not a stat").isFalse();
        JsonNode fe = json(api.get(STATS + "?type=frontend&name=web")).get("stats");
        assertThat(fe).hasSize(1);
        assertThat(fe.get(0).get("stats").get("status").asText()).isEqualTo("OPEN");
        JsonNode be = json(api.get(STATS + "?type=backend&name=app")).get("stats");
        assertThat(be.get(0).get("stats").get("stot").asLong()).isEqualTo(10);

        // drain s1, bring s3 back: the next requests all go to s3, and every endpoint says so.
        assertThat(api.send("PUT", SERVERS + "/s3", "{\"admin_state\":\"ready\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> drain = api.send("PUT", SERVERS + "/s1", "{\"admin_state\":\"drain\"}");
        assertThat(json(drain).get("admin_state").asText()).isEqualTo("drain");
        assertThat(servedBy(web, 4)).containsExactly("s3");
        assertThat(serverStats(api, "s1").get("status").asText()).isEqualTo("DRAIN");
        assertThat(serverStats(api, "s1").get("stot").asLong()).isEqualTo(10);
        assertThat(serverStats(api, "s3").get("stot").asLong()).isEqualTo(4);
        List<String> states = new ArrayList<>();
        json(api.get(SERVERS)).forEach(s -> states.add(s.get("name").asText() + "=" + s.get("admin_state").asText()
                + "/" + s.get("operational_state").asText()));
        assertThat(states).containsExactly("s1=drain/up", "s2=ready/down", "s3=ready/up");

        // runtime/info is show info from the same process.
        JsonNode info = json(api.get("/v3/services/haproxy/runtime/info"));
        assertThat(info.get("runtimeAPI").asText()).isEqualTo(DataPlaneStats.IN_PROCESS);
        assertThat(info.get("info").get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(info.get("info").get("nbthread").asInt()).isEqualTo(1);
        assertThat(info.get("info").get("processes").asInt()).isEqualTo(1);
        assertThat(info.get("info").get("uptime").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(info.get("info").get("version").asText()).isNotEmpty();

        // the file and the version are not touched by runtime changes
        assertThat(Files.readString(cfg)).doesNotContain("drain");
    }

    @Test
    void serversAddedAndDeletedThroughTheApiGoThroughTheRuntimeSocketsCommands() throws Exception {
        InetSocketAddress s1 = upstream("s1");
        InetSocketAddress s4 = upstream("s4");
        int web = RuntimeAdminStateTest.freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, Api.config(web, "default_backend app", """
                backend app
                  balance roundrobin
                  server s1 127.0.0.1:%d
                """.formatted(s1.getPort())));
        DataPlane dataPlane = new DataPlane(1);
        resources.add(dataPlane);
        ControlPlane controlPlane = new ControlPlane(ApiSettings.of(cfg, "127.0.0.1", 0), dataPlane::apply,
                new DataPlaneRuntime(dataPlane), new DataPlaneStats(dataPlane));
        resources.add(controlPlane);
        Api api = new Api(controlPlane.start(), "admin", "secret");
        String fileBefore = Files.readString(cfg);
        long versionBefore = api.version();

        // the shape of HAProxy's DPA e2e body (servers/data/runtime_add_server.json)
        String body = "{\"name\":\"s4\",\"address\":\"127.0.0.1\",\"port\":" + s4.getPort()
                + ",\"check\":\"disabled\",\"maxconn\":100}";
        HttpResponse<String> add = api.send("POST", SERVERS, body);
        assertThat(add.statusCode()).as(add.body()).isEqualTo(201);
        assertThat(JSON.readTree(add.body()).get("name").asText()).isEqualTo("s4");
        // as in HAProxy, a server added at runtime starts in maintenance
        JsonNode added = json(api.get(SERVERS + "/s4"));
        assertThat(added.get("admin_state").asText()).isEqualTo("maint");
        assertThat(added.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(added.get("port").asInt()).isEqualTo(s4.getPort());
        assertThat(serverStats(api, "s4").get("slim").asLong()).isEqualTo(100);
        assertThat(serverStats(api, "s4").get("status").asText()).isEqualTo("MAINT");
        HttpResponse<String> again = api.send("POST", SERVERS, body);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("Already exists a server with the same name in backend.");
        HttpResponse<String> ghost = api.send("POST", "/v3/services/haproxy/runtime/backends/ghost/servers", body);
        assertThat(ghost.statusCode()).isEqualTo(404);

        assertThat(api.send("PUT", SERVERS + "/s4", "{\"admin_state\":\"ready\"}").statusCode()).isEqualTo(200);
        assertThat(api.send("PUT", SERVERS + "/s1", "{\"admin_state\":\"maint\"}").statusCode()).isEqualTo(200);
        assertThat(servedBy(web, 3)).containsExactly("s4");
        assertThat(serverStats(api, "s4").get("stot").asLong()).isEqualTo(3);

        // DELETE puts the server in maintenance first, then deletes it (HAProxy's DPA does the same)
        assertThat(api.send("PUT", SERVERS + "/s1", "{\"admin_state\":\"ready\"}").statusCode()).isEqualTo(200);
        assertThat(api.send("DELETE", SERVERS + "/s4", null).statusCode()).isEqualTo(204);
        assertThat(api.get(SERVERS + "/s4").statusCode()).isEqualTo(404);
        assertThat(json(api.get(STATS + "?type=server")).get("stats")).hasSize(1);
        assertThat(servedBy(web, 2)).containsExactly("s1");
        assertThat(api.send("DELETE", SERVERS + "/s4", null).statusCode()).isEqualTo(404);

        assertThat(Files.readString(cfg)).isEqualTo(fileBefore);
        assertThat(api.version()).isEqualTo(versionBefore);
    }
}
