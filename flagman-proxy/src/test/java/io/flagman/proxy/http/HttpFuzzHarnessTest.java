package io.flagman.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.proxy.EmbeddedProxy;
import io.flagman.proxy.listen.EmbeddedFrontend;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fuzz harness drives the real pipeline: local answers, forwarded requests and bad requests are told apart. */
class HttpFuzzHarnessTest {
    private static final EmbeddedProxy PROXY = EmbeddedProxy.compile("""
            defaults
              mode http
              timeout connect 1s
              timeout client 5s
              timeout server 5s

            frontend web
              bind 127.0.0.1:8080
              http-request return status 200 content-type text/plain string "ok" if { path /health }
              default_backend app

            backend app
              server s1 127.0.0.1:1
            """);

    private static String exchange(String request) {
        try (EmbeddedFrontend client = EmbeddedFrontend.accept(PROXY.context(), "web")) {
            byte[] out = client.receive(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(out, StandardCharsets.ISO_8859_1) + new String(client.clientCloses(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aLocalAnswerIsServed() {
        String out = exchange("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(HttpResponses.parse(out.getBytes(StandardCharsets.ISO_8859_1))).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void aRoutedRequestIsForwardedAndItsConnectFailureAnswered() {
        long before = PROXY.forwarded();
        String out = exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(PROXY.forwarded()).isGreaterThan(before);
        assertThat(HttpResponses.parse(out.getBytes(StandardCharsets.ISO_8859_1))).singleElement()
                .satisfies(r -> assertThat(r.status()).isGreaterThanOrEqualTo(500));
    }

    @Test
    void aBadRequestIsRefusedAndNotForwarded() {
        long before = PROXY.forwarded();
        String out = exchange("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n");
        assertThat(HttpResponses.parse(out.getBytes(StandardCharsets.ISO_8859_1))).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(400));
        assertThat(PROXY.forwarded()).isEqualTo(before);
    }
}
