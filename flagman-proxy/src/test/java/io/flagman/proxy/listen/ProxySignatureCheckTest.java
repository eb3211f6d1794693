package io.flagman.proxy.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.proxy.EmbeddedProxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An accept-proxy bind refuses what cannot begin a PROXY header at once, and still takes one in pieces. */
class ProxySignatureCheckTest {
    private static final EmbeddedProxy PROXY = EmbeddedProxy.compile("""
            defaults
              mode http
              timeout connect 1s
              timeout client 5s
              timeout server 5s

            frontend web
              bind 127.0.0.1:8080 accept-proxy
              http-request return status 200 content-type text/plain string "hello"
            """);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void bytesThatCannotBeginAProxyHeaderAreClosedAtOnceUnanswered() {
        // Netty's decoder alone would wait for a line end or the 5 s header timeout.
        try (EmbeddedFrontend client = EmbeddedFrontend.accept(PROXY.context(), "web")) {
            assertThat(client.receive(ascii("PRO\u00ffXY TCP4 no line end"))).isEmpty();
            assertThat(client.isOpen()).isFalse();
        }
        try (EmbeddedFrontend client = EmbeddedFrontend.accept(PROXY.context(), "web")) {
            assertThat(client.receive(ascii("GET / HTTP/1.1"))).isEmpty();
            assertThat(client.isOpen()).isFalse();
        }
    }

    @Test
    void aHeaderDrippedInPiecesIsAccepted() {
        try (EmbeddedFrontend client = EmbeddedFrontend.accept(PROXY.context(), "web")) {
            assertThat(client.receive(ascii("PR"))).isEmpty();
            assertThat(client.receive(ascii("OXY"))).isEmpty();
            assertThat(client.isOpen()).isTrue();
            byte[] out = client.receive(ascii(" TCP4 10.0.0.1 127.0.0.1 40000 8080\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertThat(new String(out, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").endsWith("hello");
        }
        try (EmbeddedFrontend client = EmbeddedFrontend.accept(PROXY.context(), "web")) {
            assertThat(client.receive(new byte[] {0x0D, 0x0A, 0x0D})).isEmpty();
            assertThat(client.receive(new byte[] {0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00,
                0x00, 0x00})).isEmpty(); // v2 LOCAL, no addresses
            byte[] out = client.receive(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertThat(new String(out, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
        }
    }
}
