package io.flagman.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The expected lines were printed by HAProxy 2.6 ({@code log stdout format raw}) for the same exchanges. */
class AccessLogTest {

    private static final ZoneId ZONE = ZoneId.of("UTC");
    private static final long AT = LocalDateTime.of(2026, 11, 26, 4, 13, 22, 984_000_000).atZone(ZONE).toInstant().toEpochMilli();

    private static InetSocketAddress client(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }

    private static HttpLogEntry http(String backend, String server, String termination, String requestLine) {
        return new HttpLogEntry(client("127.0.0.1", 35860), AT, "fe2", false, backend, server, 0, 0, 0, 0, 0, 200, 73,
                termination, new Connections(2, 1, 0, 0), 0, false, 0, 0, requestLine, List.of(), List.of());
    }

    @Test
    void httpLineMatchesHaproxy() {
        assertThat(AccessLog.httpLine(http("be", "s1", null, "GET /hello?x=1 HTTP/1.1"), ZONE)).isEqualTo(
                "127.0.0.1:35860 [26/Nov/2026:04:13:22.984] fe2 be/s1 0/0/0/0/0 200 73 - - ---- 2/1/0/0/0 0/0 \"GET /hello?x=1 HTTP/1.1\"");
    }

    @Test
    void httpLineWithoutServerAndAbortedTimers() {
        HttpLogEntry e = new HttpLogEntry(client("127.0.0.1", 38496), AT, "fe", false, null, null, 0, -1, -1, -1, 0, 200,
                233, "LR--", new Connections(1, 1, 0, 0), 0, false, 0, 0, "GET /p/q?a=1&b=2 HTTP/1.1", null, null);
        assertThat(AccessLog.httpLine(e, ZONE)).isEqualTo(
                "127.0.0.1:38496 [26/Nov/2026:04:13:22.984] fe fe/<NOSRV> 0/-1/-1/-1/0 200 233 - - LR-- 1/1/0/0/0 0/0 \"GET /p/q?a=1&b=2 HTTP/1.1\"");
    }

    @Test
    void httpLineDetails() {
        HttpLogEntry e = new HttpLogEntry(client("2001:db8::1", 5000), AT, "web", true, "api", "s2", 1, 2, 3, 4, 10, 503,
                0, "sC--", new Connections(9, 8, 7, 6), 3, true, 1, 2, "GET /a\"b#c HTTP/1.1", List.of("host.example"),
                List.of("x", "y"));
        assertThat(AccessLog.httpLine(e, ZONE)).isEqualTo(
                "2001:db8::1:5000 [26/Nov/2026:04:13:22.984] web~ api/s2 1/2/3/4/10 503 0 - - sC-- 9/8/7/6/+3 1/2"
                        + " {host.example} {x|y} \"GET /a#22b#23c HTTP/1.1\"");
        assertThat(AccessLog.httpLine(http("be", "s1", "CR--", null), ZONE)).endsWith(" CR-- 2/1/0/0/0 0/0 \"<BADREQ>\"");
    }

    @Test
    void tcpLineMatchesHaproxy() {
        long at = LocalDateTime.of(2026, 11, 26, 4, 13, 28, 410_000_000).atZone(ZONE).toInstant().toEpochMilli();
        TcpLogEntry ok = new TcpLogEntry(client("127.0.0.1", 59098), at, "tcpfe", false, "tcpfe", "s1", 1, 0, 2, 66, null,
                new Connections(1, 1, 0, 0), 0, false, 0, 0);
        assertThat(AccessLog.tcpLine(ok, ZONE)).isEqualTo(
                "127.0.0.1:59098 [26/Nov/2026:04:13:28.410] tcpfe tcpfe/s1 1/0/2 66 -- 1/1/0/0/0 0/0");
        TcpLogEntry failed = new TcpLogEntry(client("127.0.0.1", 59534), at, "nosrv", false, "nosrv", "s1", 1, -1, 3009, 0,
                "SC", new Connections(1, 1, 0, 0), 3, false, 0, 0);
        assertThat(AccessLog.tcpLine(failed, ZONE)).isEqualTo(
                "127.0.0.1:59534 [26/Nov/2026:04:13:28.410] nosrv nosrv/s1 1/-1/3009 0 SC 1/1/0/0/3 0/0");
    }
}
