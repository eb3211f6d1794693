package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.flagman.cluster.Health;
import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.proxy.DataPlane;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The health a cluster node reports, read from the real data plane's statistics. */
@Timeout(60)
class DataPlaneHealthTest {

    @Test
    void countsServersUpAndDownByNameAndTheFrontendsRequestsAnd5xx() throws Exception {
        HttpServer up = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        up.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        up.start();
        int closed = RuntimeAdminStateTest.freePort();
        int web = RuntimeAdminStateTest.freePort();
        LoadResult loaded = ConfigLoader.fromText("haproxy.cfg", Api.config(web, """
                use_backend broken if { path_beg /broken }
                default_backend app""", """
                backend app
                  server live 127.0.0.1:%d check inter 100ms
                  server gone 127.0.0.1:%d check inter 100ms fall 1
                  server plain 127.0.0.1:%d
                  server parked 127.0.0.1:%d disabled

                backend broken
                  http-request return status 503 content-type text/plain string down
                """.formatted(up.getAddress().getPort(), closed, up.getAddress().getPort(), closed)), java.nio.file.Path.of("."));
        assertThat(loaded.errors()).isEmpty();
        try (DataPlane dataPlane = new DataPlane(1)) {
            dataPlane.apply(loaded.config());
            DataPlaneHealth health = new DataPlaneHealth(dataPlane);
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!health.read().down().contains("app/gone") || health.read().serversUp() < 2) {
                assertThat(System.nanoTime() < end).as("the checks settle: %s", health.read()).isTrue();
                Thread.sleep(20); // polling interval of a bounded wait
            }
            HttpClient client = HttpClient.newHttpClient();
            for (String path : new String[] {"/a", "/b", "/broken"}) {
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            Health h = health.read();
            assertThat(h.serversUp()).isEqualTo(2); // live (checked UP) and plain (no check)
            assertThat(h.serversDown()).isEqualTo(1);
            assertThat(h.down()).containsExactly("app/gone"); // parked is in maintenance: neither
            assertThat(h.requests()).isEqualTo(3);
            assertThat(h.http5xx()).isEqualTo(1);
        } finally {
            up.stop(0);
        }
    }
}
