package io.flagman.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flagman.proxy.EmbeddedProxy;
import io.flagman.proxy.listen.EmbeddedFrontend;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * Any bytes from a client through the HTTP frontend pipeline (the listener's initializer: HttpServerCodec and
 * the frontend handler on a compiled snapshot), in an EmbeddedChannel: no exception escapes the pipeline,
 * everything written back is a sequence of well-formed HTTP responses, and when every answer is a 4xx nothing
 * was forwarded to a server. Regression inputs: src/test/resources/io/flagman/proxy/http/HttpRequestFuzzTestInputs/.
 */
class HttpRequestFuzzTest {
    private static final EmbeddedProxy PROXY = EmbeddedProxy.compile("""
            defaults
              mode http
              timeout connect 1s
              timeout client 5s
              timeout server 5s
              timeout http-request 5s

            userlist admins
              user admin insecure-password secret

            frontend web
              bind 127.0.0.1:8080
              acl is_api path_beg /api
              acl is_admin path_beg /admin
              acl authorized http_auth(admins)
              http-request deny if { path_beg /deny }
              http-request auth realm admin if is_admin !authorized
              http-request return status 200 content-type text/plain string "ok" if { path /health }
              http-request set-header X-Seen yes
              http-request redirect location /new if { path /old }
              use_backend api if is_api
              use_backend hosted if { hdr(host) -i a.example }
              default_backend app

            backend app
              server s1 127.0.0.1:1

            backend hosted
              balance hdr(host)
              server s2 127.0.0.1:2

            backend api
              http-request return status 201 content-type application/json string "{}"
            """);

    @FuzzTest(maxDuration = "30s")
    void anyClientBytes(byte[] input) {
        // All bytes in one read, then the same bytes split in two reads, as a socket may deliver them.
        exchange(input, input.length);
        exchange(input, input.length / 2);
    }

    private static void exchange(byte[] input, int split) {
        long forwardedBefore = PROXY.forwarded();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (EmbeddedFrontend client = EmbeddedFrontend.accept(PROXY.context(), "web")) {
            written.writeBytes(client.receive(Arrays.copyOfRange(input, 0, split)));
            if (split < input.length && client.isOpen()) {
                written.writeBytes(client.receive(Arrays.copyOfRange(input, split, input.length)));
            }
            written.writeBytes(client.clientCloses());
        }
        List<HttpResponses.Response> responses = HttpResponses.parse(written.toByteArray());
        if (!responses.isEmpty() && responses.stream().allMatch(r -> r.status() >= 400 && r.status() < 500)) {
            assertThat(PROXY.forwarded()).as("a connection answered only with 4xx forwarded nothing: %s", responses)
                    .isEqualTo(forwardedBefore);
        }
    }
}
