package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TCP-mode relay timeouts with HAProxy 2.6's semantics, measured on real sockets: {@code timeout tunnel} closes an
 * idle relay (and takes precedence over client/server); after the client's FIN, {@code timeout server-fin} bounds
 * the wait for the server; after the server's FIN, {@code timeout client-fin} bounds the wait for the client
 * (verified against HAProxy 2.6: client FIN + server-fin 2 s + client-fin 300 ms closes after 2 s).
 */
class TcpTimeoutsTest {
    private final ProxyFixture proxy = new ProxyFixture();
    private ServerSocket upstream;

    @BeforeEach
    void open() throws Exception {
        upstream = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        upstream.close();
    }

    private void apply(String timeouts) throws ApplyException {
        proxy.apply("""
                defaults
                  mode tcp
                  timeout connect 2s
                listen relay
                  bind 127.0.0.1:1
                %s
                  server s1 127.0.0.1:%d
                """.formatted(timeouts.indent(2), upstream.getLocalPort()));
    }

    private Socket connect() throws Exception {
        Socket c = new Socket();
        c.connect(proxy.address("relay"), 5000);
        c.setSoTimeout(10_000);
        return c;
    }

    private Socket accept() throws Exception {
        upstream.setSoTimeout(10_000);
        Socket s = upstream.accept();
        s.setSoTimeout(10_000);
        return s;
    }

    /** Blocks until EOF (or reset) on {@code in}; returns the milliseconds it took. Bounded by the socket timeout. */
    private static long millisUntilEof(InputStream in, long t0) throws Exception {
        try {
            while (in.read() != -1) {
                // drain
            }
        } catch (SocketException reset) {
            // a reset is a close too
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void tunnelTimeoutClosesAnIdleRelayEvenWithLongClientAndServerTimeouts() throws Exception {
        apply("timeout client 10s\ntimeout server 10s\ntimeout tunnel 200ms");
        try (Socket c = connect(); Socket s = accept()) {
            long t0 = System.nanoTime(); // before the last activity: the relay is idle from then on
            c.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(2), StandardCharsets.US_ASCII)).isEqualTo("hi");
            long clientMs = millisUntilEof(c.getInputStream(), t0);
            long serverMs = millisUntilEof(s.getInputStream(), t0);
            assertThat(clientMs).isBetween(150L, 5_000L);
            assertThat(serverMs).isBetween(150L, 5_000L);
        }
    }

    @Test
    void traffickingRelayOutlivesTheTunnelTimeout() throws Exception {
        apply("timeout client 10s\ntimeout server 10s\ntimeout tunnel 300ms");
        try (Socket c = connect(); Socket s = accept()) {
            long t0 = System.nanoTime();
            // keep the relay busy for more than three tunnel timeouts, one message at a time (each waits for
            // its echo through the proxy, so this is paced by the relay, not by sleeps)
            int rounds = 0;
            while ((System.nanoTime() - t0) < 1_000_000_000L && rounds < 100_000) {
                c.getOutputStream().write('x');
                assertThat(s.getInputStream().read()).isEqualTo('x');
                s.getOutputStream().write('y');
                assertThat(c.getInputStream().read()).isEqualTo('y');
                rounds++;
            }
            assertThat(rounds).isPositive();
            c.getOutputStream().write('z');
            assertThat(s.getInputStream().read()).as("still relaying after 1 s").isEqualTo('z');
        }
    }

    @Test
    void afterTheClientsFinServerFinBoundsTheWaitForTheServer() throws Exception {
        apply("timeout client 10s\ntimeout server 10s\ntimeout client-fin 5s\ntimeout server-fin 200ms");
        try (Socket c = connect(); Socket s = accept()) {
            c.shutdownOutput();
            assertThat(s.getInputStream().read()).as("the client's FIN reaches the server").isEqualTo(-1);
            long t0 = System.nanoTime();
            long ms = millisUntilEof(c.getInputStream(), t0);
            assertThat(ms).as("closed after server-fin, not client-fin").isBetween(150L, 3_000L);
        }
    }

    @Test
    void afterTheServersFinClientFinBoundsTheWaitForTheClient() throws Exception {
        apply("timeout client 10s\ntimeout server 10s\ntimeout client-fin 200ms\ntimeout server-fin 5s");
        try (Socket c = connect(); Socket s = accept()) {
            s.shutdownOutput();
            assertThat(c.getInputStream().read()).as("the server's FIN reaches the client").isEqualTo(-1);
            long t0 = System.nanoTime();
            long ms = millisUntilEof(s.getInputStream(), t0);
            assertThat(ms).as("closed after client-fin, not server-fin").isBetween(150L, 3_000L);
        }
    }

    @Test
    void halfClosedRelayStillCarriesTheOtherDirectionBeforeTheFinTimeout() throws Exception {
        apply("timeout client 10s\ntimeout server 10s\ntimeout server-fin 2s");
        try (Socket c = connect(); Socket s = accept()) {
            c.getOutputStream().write("request".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("request");
            s.getOutputStream().write("response".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("response");
        }
    }
}
