package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.parse.SampleFetches;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code flagman check} accepts, {@code flagman run} runs: every fetch of the catalogue the validator reads
 * ({@link SampleFetches}) compiles in the data plane. A fetch the checker knows and the data plane does not is a
 * file that checks valid and then refuses to start (as {@code http_auth_group} once did).
 */
class CheckedFetchesRunTest {
    /** Arguments the fetches need; the others take none. */
    private static final Map<String, String> ARGS = Map.of("hdr", "(host)", "url_param", "(a)", "res.hdr", "(server)",
            "nbsrv", "(be)", "http_auth", "(users)", "http_auth_group", "(users)");
    private static final List<String> NO_PATTERN = List.of("ssl_fc", "req.proto_http", "always_true", "always_false",
            "http_auth");

    @Test
    void everyFetchThatChecksValidCompilesInTheDataPlane() {
        List<String> loaded = new ArrayList<>();
        for (String fetch : SampleFetches.names()) {
            String pattern = NO_PATTERN.contains(fetch) ? "" : fetch.equals("src") || fetch.equals("dst") ? " 127.0.0.1"
                    : " 1";
            String expression = fetch + ARGS.getOrDefault(fetch, "") + pattern;
            boolean response = SampleFetches.layer(fetch) == SampleFetches.Layer.HTTP_RESPONSE;
            String text = """
                    userlist users
                      user u insecure-password p
                    defaults
                      mode http
                      timeout connect 5s
                      timeout client 5s
                      timeout server 5s
                    frontend fe
                      bind 127.0.0.1:1
                      %s set-header X-Test 1 if { %s }
                      default_backend be
                    backend be
                      server s 127.0.0.1:9
                    """.formatted(response ? "http-response" : "http-request", expression);
            LoadResult r = ConfigLoader.fromText("fetch.cfg", text, Path.of("."));
            if (!r.ok()) {
                continue; // refused by the checker (e.g. a fetch that cannot work in mode http): nothing to run
            }
            loaded.add(fetch);
            try (DataPlane dataPlane = new DataPlane(1)) {
                assertThatCode(() -> dataPlane.apply(ProxyFixture.ephemeralPorts(r.config()))).as("'%s' checks valid, so it must run", expression)
                        .doesNotThrowAnyException();
            }
        }
        assertThat(loaded).as("fetches that check valid in an HTTP proxy").hasSizeGreaterThan(
                SampleFetches.names().size() - 3);
    }
}
