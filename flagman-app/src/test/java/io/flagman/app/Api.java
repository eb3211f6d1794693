package io.flagman.app;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A tiny Data Plane API client for the app's tests: Basic auth, JSON bodies, string responses. */
final class Api {

    static final String CFG = "/v3/services/haproxy/configuration";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String auth;

    Api(InetSocketAddress address, String user, String password) {
        this.base = "http://" + address.getHostString() + ":" + address.getPort();
        this.auth = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", auth);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with a {@code text/plain} body (the raw configuration endpoint). */
    HttpResponse<String> sendText(String method, String path, String text) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", auth).header("Content-Type", "text/plain")
                .method(method, HttpRequest.BodyPublishers.ofString(text)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    long version() throws Exception {
        return Long.parseLong(get(CFG + "/version").body().trim());
    }

    /**
     * A configuration the app's API tests start from: the API user {@code admin:secret}, HTTP defaults, and a
     * frontend {@code web} on {@code 127.0.0.1:webPort} whose body (indented lines) and further sections follow.
     */
    static String config(int webPort, String frontendBody, String moreSections) {
        return """
                userlist controller
                  user admin insecure-password secret

                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s

                frontend web
                  bind 127.0.0.1:%d
                %s
                %s""".formatted(webPort, frontendBody.stripTrailing().indent(2).stripTrailing(), moreSections);
    }
}
