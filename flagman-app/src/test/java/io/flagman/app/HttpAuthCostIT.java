package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.auth.Crypt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cost of {@code http_auth} as a client can drive it, against the packaged program: the password hash is
 * computed once per credential, not once per request, and an over-long credential is refused without hashing.
 * The user's hash is made expensive on purpose ({@code $6$} with a million rounds, about half a second here), so
 * a data plane that hashed per request (what Flagman did before) needs at least one hash time per request — 100
 * requests, far past the bound below — while one that caches needs about two.
 */
@Timeout(300)
class HttpAuthCostIT {

    @TempDir
    Path dir;

    @Test
    void theHashIsComputedOncePerCredentialNotPerRequest() throws Exception {
        long t0 = System.nanoTime();
        String hash = Crypt.crypt("s3cret", "$6$rounds=1000000$flagmanflagman");
        long oneHash = System.nanoTime() - t0; // this machine's cost of one check, measured now
        int port = RuntimeAdminStateTest.freePort();
        Path cfg = dir.resolve("auth.cfg");
        Files.writeString(cfg, """
                global
                  nbthread 1
                defaults
                  mode http
                  timeout connect 5s
                  timeout client 60s
                  timeout server 60s
                userlist users
                  user admin password %s
                frontend fe
                  bind 127.0.0.1:%d
                  http-request auth realm private unless { http_auth(users) }
                  http-request return status 200 content-type text/plain string ok
                """.formatted(hash, port));
        try (FlagmanProcess flagman = FlagmanProcess.run(dir, "--config", cfg.toString())) {
            flagman.awaitListening(port, Duration.ofSeconds(60));
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            String right = basic("admin:s3cret");
            String wrong = basic("admin:not-the-password");
            String overLong = basic("admin:" + "x".repeat(4000));
            assertThat(status(client, uri, right)).isEqualTo(200); // the first check pays the hash (and warms up)

            long start = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                assertThat(status(client, uri, right)).as("right credentials, request %d", i).isEqualTo(200);
            }
            for (int i = 0; i < 30; i++) {
                assertThat(status(client, uri, wrong)).as("wrong password, request %d", i).isEqualTo(401);
            }
            for (int i = 0; i < 30; i++) {
                assertThat(status(client, uri, overLong)).as("over-long credentials, request %d", i).isEqualTo(401);
            }
            long took = System.nanoTime() - start;
            // 100 requests: hashing each would cost >= 100 hash times; caching costs one (the wrong password).
            assertThat(took).as("100 authenticated requests took %d ms, one hash %d ms", took / 1_000_000,
                    oneHash / 1_000_000).isLessThan(20 * oneHash);
        }
    }

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static int status(HttpClient client, URI uri, String authorization) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", authorization)
                .timeout(Duration.ofSeconds(60)).build();
        return client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
