package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ambiguous or oversized requests get an error and a close, and nothing reaches the backend. */
class HttpStrictParsingTest {
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();

    @BeforeEach
    void setUp() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 5s
                  timeout server 5s
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(web.address()));
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        web.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "long request line|414",
        "huge headers|431",
        "CL and TE|400",
        "duplicate CL|400",
        "bad CL|400",
        "missing host|400",
        "two hosts|400",
        "garbage|400",
        "TE gzip|400",
    })
    void rejectsAndCloses(String name, int expected) throws Exception {
        String req = switch (name) {
            case "long request line" -> "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case "huge headers" -> "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20000) + "\r\n\r\n";
            case "CL and TE" -> "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\n";
            case "duplicate CL" -> "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab";
            case "bad CL" -> "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\na";
            case "missing host" -> "GET / HTTP/1.1\r\n\r\n";
            case "two hosts" -> "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
            case "garbage" -> "GE(T / HTTP/1.1\r\nHost: x\r\n\r\n";
            case "TE gzip" -> "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n";
            default -> throw new IllegalArgumentException(name);
        };
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            c.send(req);
            RawHttp.Response r = c.read(false);
            assertThat(r.status()).isEqualTo(expected);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(web.requests).isEmpty();
    }
}
