package io.flagman.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.model.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A control plane on a temp config file, over real HTTP on loopback (port 0). */
final class ApiFixture implements AutoCloseable {

    static final String CONFIG = """
            global
              maxconn 256
              log stdout format raw daemon

            defaults
              mode http
              log global
              timeout connect 5s
              timeout client 10s
              timeout server 10s

            userlist dataplane_users
              user admin insecure-password adminpass

            frontend http-in
              mode http
              bind 127.0.0.1:18080
              http-request set-header X-Forwarded-Proto https
              option forwardfor header X-Forwarded-For if-none
              option httplog
              default_backend fallback-backend

            backend fallback-backend
              mode http
              http-request return status 404 content-type "text/html" string "not found"
            """;

    /** Records what was applied; {@code failNext} makes the next apply throw (a bind that cannot open). */
    static final class RecordingApplier implements ConfigApplier {
        final List<Config> applied = new CopyOnWriteArrayList<>();
        volatile String failWith;

        @Override
        public void apply(Config config) throws Exception {
            String f = failWith;
            if (f != null) {
                failWith = null;
                throw new Exception(f);
            }
            applied.add(config);
        }
    }

    final Path dir;
    final Path config;
    final RecordingApplier applier = new RecordingApplier();
    final RuntimeServers runtime;
    final RuntimeStats stats;
    final ApiSettings settings;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The optional parts (gate, hand-edit policy, routes); the fixture adds its statistics. */
    ControlPlane.Options options = ControlPlane.Options.defaults();
    ControlPlane plane;
    String base;
    String user = "admin";
    String password = "adminpass";

    ApiFixture(Path dir) throws IOException {
        this(dir, CONFIG, RuntimeServers.NONE);
    }

    ApiFixture(Path dir, String text, RuntimeServers runtime) throws IOException {
        this(dir, text, runtime, RuntimeStats.NONE);
    }

    ApiFixture(Path dir, String text, RuntimeServers runtime, RuntimeStats stats) throws IOException {
        this.stats = stats;
        this.dir = dir;
        this.config = dir.resolve("haproxy.cfg");
        this.runtime = runtime;
        if (text != null) {
            Files.writeString(config, text);
        }
        this.settings = ApiSettings.of(config, "127.0.0.1", 0).withUserlist("dataplane_users")
                .withBackups(5, null);
    }

    ApiFixture start() throws IOException {
        plane = new ControlPlane(settings, applier, runtime, options.withStats(stats));
        InetSocketAddress a = plane.start();
        base = "http://127.0.0.1:" + a.getPort();
        return this;
    }

    /** A new control plane on the same files (a restart). */
    ApiFixture restart() throws IOException {
        plane.close();
        return start();
    }

    @Override
    public void close() {
        if (plane != null) {
            plane.close();
        }
    }

    HttpResponse<String> send(String method, String path, String body) {
        return send(method, path, body, "application/json", true);
    }

    HttpResponse<String> send(String method, String path, String body, String contentType, boolean auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (auth) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null, null, true);
    }

    long version() {
        HttpResponse<String> r = get("/v3/services/haproxy/configuration/version");
        assertThat(r.statusCode()).isEqualTo(200);
        return Long.parseLong(r.body().trim());
    }

    String file() throws IOException {
        return Files.readString(config);
    }

    static final String CFG = "/v3/services/haproxy/configuration";
}
