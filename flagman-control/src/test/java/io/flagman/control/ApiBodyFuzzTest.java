package io.flagman.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Random JSON (and non-JSON) bodies to the configuration endpoints that write, over real HTTP to a running
 * ControlPlane ({@link ApiFixture}): never a 5xx, and a 4xx leaves the file byte for byte as it was. Regression
 * inputs: src/test/resources/io/flagman/control/ApiBodyFuzzTestInputs/.
 */
class ApiBodyFuzzTest {
    private static final String CFG = ApiFixture.CFG;
    private static final List<String> WRITES = List.of(
            "POST " + CFG + "/backends",
            "PUT " + CFG + "/backends/fallback-backend",
            "POST " + CFG + "/backends/fallback-backend/servers",
            "POST " + CFG + "/frontends",
            "PUT " + CFG + "/frontends/http-in",
            "POST " + CFG + "/frontends/http-in/binds",
            "POST " + CFG + "/frontends/http-in/acls/0",
            "PUT " + CFG + "/frontends/http-in/acls",
            "POST " + CFG + "/frontends/http-in/backend_switching_rules/0",
            "POST " + CFG + "/frontends/http-in/http_request_rules/0",
            "POST " + CFG + "/backends/fallback-backend/http_response_rules/0",
            "PUT " + CFG + "/global",
            "PUT " + CFG + "/defaults",
            "POST " + CFG + "/userlists",
            "POST " + CFG + "/users?userlist=dataplane_users");
    private static final String[] KEYS = {"name", "mode", "address", "port", "balance", "algorithm", "acl_name",
        "criterion", "value", "cond", "cond_test", "type", "status", "hdr_name", "hdr_format", "default_backend",
        "maxconn", "check", "weight", "ssl", "index", "username", "password", "secure_password", "timeout_client",
        "http_connection_mode", "redir_value", "return_content", "log_format", "forwardfor", "enabled"};
    private static final String[] WORDS = {"http", "tcp", "app", "fallback-backend", "http-in", "127.0.0.1", "if",
        "unless", "roundrobin", "hdr(host)", "path_beg", "-i", "deny", "set-header", "return", "\"", "\\", "#",
        "${X}", " ", "\n", "{", "}", "0", "-1", "65536", "99999999999999999999"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Path DIR = tempDir();
    private static ApiFixture api;

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("flagman-api-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyBodyToAnyWrite(FuzzedDataProvider data) throws IOException {
        ApiFixture fixture = fixture();
        String[] write = data.pickValue(WRITES).split(" ", 2);
        String path = write[1] + (write[1].contains("?") ? "&" : "?") + "version=" + fixture.version();
        String body = data.consumeBoolean() ? JSON.writeValueAsString(json(data, 3)) : data.consumeRemainingAsString();
        byte[] before = Files.readAllBytes(fixture.config);

        HttpResponse<String> r = fixture.send(write[0], path, body);

        assertThat(r.statusCode()).as("%s %s %s → %s", write[0], path, body, r.body()).isLessThan(500);
        if (r.statusCode() >= 400) {
            assertThat(Arrays.equals(Files.readAllBytes(fixture.config), before))
                    .as("a %d leaves the file as it was: %s %s %s", r.statusCode(), write[0], path, body).isTrue();
        } else {
            // The write took effect: start the next input from the original file again.
            fixture.close();
            api = null;
        }
    }

    private static Object json(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth > 0 ? 7 : 4)) {
            case 0 -> data.consumeInt();
            case 1 -> data.consumeBoolean();
            case 2 -> JsonNodeFactory.instance.nullNode();
            case 3, 4 -> JsonNodeFactory.instance.textNode(data.consumeBoolean() ? data.pickValue(WORDS)
                    : data.consumeString(40));
            case 5 -> {
                ArrayNode a = JSON.createArrayNode();
                for (int i = data.consumeInt(0, 3); i > 0; i--) {
                    a.add(JSON.valueToTree(json(data, depth - 1)));
                }
                yield a;
            }
            default -> {
                ObjectNode o = JSON.createObjectNode();
                for (int i = data.consumeInt(0, 5); i > 0; i--) {
                    String key = data.consumeBoolean() ? data.pickValue(KEYS) : data.consumeString(10);
                    o.set(key, JSON.valueToTree(json(data, depth - 1)));
                }
                yield o;
            }
        };
    }

    /** A control plane on the original file (rewritten after every write that took effect). */
    private static ApiFixture fixture() {
        if (api == null) {
            try {
                api = new ApiFixture(DIR).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return api;
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
            api = null;
        }
    }
}
