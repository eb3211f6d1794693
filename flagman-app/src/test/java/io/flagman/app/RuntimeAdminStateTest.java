package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.flagman.control.ApiSettings;
import io.flagman.control.ControlPlane;
import io.flagman.proxy.DataPlane;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime endpoints drive the real data plane: putting a server in maintenance through the API takes it out
 * of rotation on the next request, without touching the file or the version; ready puts it back.
 */
@Timeout(60)
class RuntimeAdminStateTest {

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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
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

    @Test
    void maintenanceThroughTheApiTakesAServerOutOfRotationWithoutTouchingTheFile() throws Exception {
        InetSocketAddress s1 = upstream("s1");
        InetSocketAddress s2 = upstream("s2");
        int web = freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, Api.config(web, "default_backend app", """
                backend app
                  balance roundrobin
                  server s1 127.0.0.1:%d
                  server s2 127.0.0.1:%d
                """.formatted(s1.getPort(), s2.getPort())));
        DataPlane dataPlane = new DataPlane(1);
        resources.add(dataPlane);
        ControlPlane controlPlane = new ControlPlane(ApiSettings.of(cfg, "127.0.0.1", 0), dataPlane::apply,
                new DataPlaneRuntime(dataPlane));
        resources.add(controlPlane);
        Api api = new Api(controlPlane.start(), "admin", "secret");
        assertThat(servedBy(web, 6)).containsExactlyInAnyOrder("s1", "s2");
        String fileBefore = Files.readString(cfg);
        long versionBefore = api.version();

        String runtime = "/v3/services/haproxy/runtime/backends/app/servers/s1";
        HttpResponse<String> maint = api.send("PUT", runtime, "{\"admin_state\":\"maint\"}");
        assertThat(maint.statusCode()).isEqualTo(200);
        assertThat(maint.body()).contains("\"admin_state\":\"maint\"");
        assertThat(servedBy(web, 6)).containsExactly("s2");
        assertThat(api.get(runtime).body()).contains("\"admin_state\":\"maint\"");
        assertThat(Files.readString(cfg)).isEqualTo(fileBefore);
        assertThat(api.version()).isEqualTo(versionBefore);

        assertThat(api.send("PUT", runtime, "{\"admin_state\":\"ready\"}").statusCode()).isEqualTo(200);
        assertThat(servedBy(web, 6)).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void aRouteAddedThroughTheApiIsLiveWhenTheResponseArrives() throws Exception {
        InetSocketAddress app = upstream("app");
        int web = freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, Api.config(web,
                "http-request return status 404 content-type text/plain string \"no route\"", ""));
        DataPlane dataPlane = new DataPlane(1);
        resources.add(dataPlane);
        ControlPlane controlPlane = new ControlPlane(ApiSettings.of(cfg, "127.0.0.1", 0), dataPlane::apply,
                new DataPlaneRuntime(dataPlane));
        resources.add(controlPlane);
        Api api = new Api(controlPlane.start(), "admin", "secret");
        long v = api.version();
        assertThat(api.send("POST", Api.CFG + "/backends?version=" + v, "{\"name\":\"app\",\"mode\":\"http\"}")
                .statusCode()).isEqualTo(202);
        assertThat(api.send("POST", Api.CFG + "/backends/app/servers?version=" + (v + 1),
                "{\"name\":\"a1\",\"address\":\"127.0.0.1\",\"port\":" + app.getPort() + "}").statusCode())
                .isIn(201, 202);
        // Replace the catch-all 404 rule with a route: the very next request must take it.
        assertThat(api.send("PUT", Api.CFG + "/frontends/web/http_request_rules?version=" + (v + 2), "[]")
                .statusCode()).isEqualTo(202);
        HttpResponse<String> put = api.send("PUT", Api.CFG + "/frontends/web?version=" + (v + 3),
                "{\"name\":\"web\",\"mode\":\"http\",\"default_backend\":\"app\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(202);
        assertThat(servedBy(web, 1)).containsExactly("app");
    }
}
