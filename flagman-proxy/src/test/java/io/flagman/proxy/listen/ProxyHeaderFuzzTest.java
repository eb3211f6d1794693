package io.flagman.proxy.listen;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flagman.proxy.EmbeddedProxy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Any bytes to an {@code accept-proxy} bind: Netty's HAProxyMessageDecoder and ProxyHeaderHandler, then the HTTP
 * frontend, in an EmbeddedChannel built by the listener's initializer. No exception escapes the pipeline; a
 * connection that does not start with a PROXY v1 or v2 signature is closed (at once when its first bytes cannot
 * begin one) with nothing written back and nothing forwarded. Regression inputs: src/test/resources/io/flagman/proxy/listen/ProxyHeaderFuzzTestInputs/.
 */
class ProxyHeaderFuzzTest {
    private static final byte[] V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final EmbeddedProxy PROXY = EmbeddedProxy.compile("""
            defaults
              mode http
              timeout connect 1s
              timeout client 5s
              timeout server 5s

            frontend web
              bind 127.0.0.1:8080 accept-proxy
              acl from_inside src 10.0.0.0/8
              http-request return status 200 content-type text/plain string "inside" if from_inside
              default_backend app

            backend app
              server s1 127.0.0.1:1
            """);

    @FuzzTest(maxDuration = "30s")
    void anyBytesToAnAcceptProxyBind(byte[] input) {
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
            if (!couldStartSignature(input)) {
                assertThat(client.isOpen()).as("a connection whose first bytes cannot begin a PROXY header is"
                        + " closed at once").isFalse();
            } else if (!startsWithSignature(input)) {
                // Too short to tell: the header timeout ends the wait.
                written.writeBytes(client.advance(Duration.ofMillis(ProxyHeaderHandler.HEADER_TIMEOUT_MILLIS + 1)));
                assertThat(client.isOpen()).as("a connection without a PROXY header is closed").isFalse();
            }
            written.writeBytes(client.clientCloses());
        }
        if (!startsWithSignature(input)) {
            assertThat(written.toByteArray()).as("nothing is answered without a PROXY header").isEmpty();
            assertThat(PROXY.forwarded()).as("nothing is forwarded without a PROXY header").isEqualTo(forwardedBefore);
        }
        io.flagman.proxy.http.HttpResponsesAccess.parse(written.toByteArray());
    }

    private static boolean couldStartSignature(byte[] input) {
        return prefixMatches(input, V1) || prefixMatches(input, V2);
    }

    private static boolean prefixMatches(byte[] input, byte[] signature) {
        int n = Math.min(input.length, signature.length);
        return Arrays.equals(input, 0, n, signature, 0, n);
    }

    private static boolean startsWithSignature(byte[] input) {
        return startsWith(input, V1) || startsWith(input, V2);
    }

    private static boolean startsWith(byte[] input, byte[] prefix) {
        return input.length >= prefix.length && Arrays.equals(input, 0, prefix.length, prefix, 0, prefix.length);
    }
}
