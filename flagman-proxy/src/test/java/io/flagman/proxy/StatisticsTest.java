package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagman.proxy.stats.ModuleField;
import io.flagman.proxy.stats.StatCsv;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import io.flagman.proxy.stats.StatRow;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code show stat} counters after real traffic through a running data plane to real upstreams: requests,
 * responses by class, bytes, denials, connection errors and retries, checks, applies and {@code clear counters};
 * and HAProxy 3.2's observed example (reference §3.5) rebuilt and compared column by column.
 */
class StatisticsTest {
    private final ProxyFixture proxy = new ProxyFixture();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    private FakeBackend backend(String name) {
        FakeBackend b = new FakeBackend(name);
        closeLater.add(b);
        return b;
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private StatRow row(String proxyName, String svname) {
        return proxy.dataPlane.statistics().stream()
                .filter(r -> r.proxy().equals(proxyName) && r.name().equals(svname)).findFirst().orElseThrow();
    }

    private long cell(String proxyName, String svname, StatField f) {
        return row(proxyName, svname).number(f);
    }

    private void awaitCell(String proxyName, String svname, StatField f, long expected) {
        Await.until(proxyName + "/" + svname + " " + f.fieldName() + " = " + expected,
                () -> cell(proxyName, svname, f) == expected);
    }

    private static String http(String name) {
        return """
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend www
                  bind 127.0.0.1:1
                  http-request return status 404 content-type text/plain string gone if { path_beg /missing }
                  http-request deny if { path_beg /forbidden }
                  default_backend app
                backend app
                  server web1 %s
                """.formatted(name);
    }

    private RawHttp.Response get(RawHttp c, String path) throws IOException {
        return c.get(path, "example.com");
    }

    @Test
    void requestsResponsesAndBytesAreCountedOnFrontendBackendAndServer() throws Exception {
        FakeBackend web1 = backend("web1");
        proxy.apply(http(web1.address()));
        try (RawHttp c = new RawHttp(proxy.address("www"))) {
            for (int i = 0; i < 10; i++) {
                assertThat(get(c, "/").status()).isEqualTo(200);
            }
            awaitCell("www", "FRONTEND", StatField.REQ_TOT, 10);
            awaitCell("app", "BACKEND", StatField.REQ_TOT, 10);
            awaitCell("app", "web1", StatField.REQ_TOT, 10);
            assertThat(get(c, "/missing").status()).isEqualTo(404);
            assertThat(get(c, "/forbidden").status()).isEqualTo(403);
            awaitCell("www", "FRONTEND", StatField.REQ_TOT, 12);
        }
        StatRow fe = row("www", "FRONTEND");
        StatRow be = row("app", "BACKEND");
        StatRow sv = row("app", "web1");
        assertThat(fe.number(StatField.HRSP_2XX)).isEqualTo(10);
        assertThat(fe.number(StatField.HRSP_4XX)).isEqualTo(2); // the local 404 and the deny's 403
        assertThat(fe.number(StatField.DREQ)).isEqualTo(1);
        assertThat(fe.number(StatField.INTERCEPTED)).isEqualTo(1);
        assertThat(fe.number(StatField.STOT)).isEqualTo(1); // one keep-alive connection
        assertThat(fe.number(StatField.CONN_TOT)).isEqualTo(1);
        for (StatRow r : List.of(be, sv)) {
            assertThat(r.number(StatField.HRSP_2XX)).as(r.name()).isEqualTo(10);
            assertThat(r.number(StatField.HRSP_4XX)).as(r.name()).isZero();
            assertThat(r.number(StatField.STOT)).as(r.name()).isEqualTo(10);
            assertThat(r.number(StatField.LBTOT)).as(r.name()).isEqualTo(10);
            assertThat(r.number(StatField.SCUR)).as(r.name()).isZero();
        }
        assertThat(sv.number(StatField.SMAX)).isEqualTo(1);
        assertThat(sv.number(StatField.CONNECT)).isEqualTo(1); // one server connection, reused nine times
        assertThat(sv.number(StatField.REUSE)).isEqualTo(9);
        assertThat(sv.number(StatField.LASTSESS)).isBetween(0L, 5L);
        // "web1" is 4 bytes of body per response; the heads are counted too, the same on backend and server.
        assertThat(sv.number(StatField.BOUT)).isGreaterThan(10 * 4L).isEqualTo(be.number(StatField.BOUT));
        assertThat(sv.number(StatField.BIN)).isGreaterThan(10 * "GET / HTTP/1.1\r\n".length())
                .isEqualTo(be.number(StatField.BIN));
        assertThat(fe.number(StatField.BOUT)).isGreaterThan(be.number(StatField.BOUT));
        assertThat(fe.number(StatField.REQ_RATE_MAX)).isPositive();
        assertThat(proxy.dataPlane.info().number(io.flagman.proxy.stats.InfoField.CUMREQ)).isEqualTo(12);
    }

    @Test
    void aRefusedConnectionCountsConnectionErrorsAndRetries() throws Exception {
        int dead = closedPort();
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend www
                  bind 127.0.0.1:1
                  default_backend app
                backend app
                  retries 2
                  server dead 127.0.0.1:%d
                """.formatted(dead));
        try (RawHttp c = new RawHttp(proxy.address("www"))) {
            assertThat(get(c, "/").status()).isEqualTo(503);
        }
        awaitCell("app", "dead", StatField.ECON, 3);
        assertThat(cell("app", "dead", StatField.WRETR)).isEqualTo(2);
        assertThat(cell("app", "BACKEND", StatField.ECON)).isEqualTo(3);
        assertThat(cell("app", "BACKEND", StatField.WRETR)).isEqualTo(2);
        assertThat(cell("app", "BACKEND", StatField.HRSP_5XX)).isEqualTo(1);
        assertThat(cell("www", "FRONTEND", StatField.HRSP_5XX)).isEqualTo(1);
    }

    @Test
    void aStoppedServerShowsItsFailedCheck() throws Exception {
        FakeBackend web1 = backend("web1");
        int dead = closedPort();
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                frontend www
                  bind 127.0.0.1:1
                  default_backend app
                backend app
                  server web1 %s check inter 100ms
                  server web2 127.0.0.1:%d check inter 100ms
                """.formatted(web1.address(), dead));
        Await.until("web2 DOWN", () -> row("app", "web2").text(StatField.STATUS).equals("DOWN"));
        StatRow web2 = row("app", "web2");
        assertThat(web2.text(StatField.CHECK_STATUS)).isEqualTo("L4CON");
        assertThat(web2.text(StatField.CHECK_DESC)).isEqualTo("Layer4 connection problem");
        assertThat(web2.text(StatField.LAST_CHK)).isEqualTo("Connection refused");
        assertThat(web2.number(StatField.CHKDOWN)).isEqualTo(1);
        assertThat(web2.number(StatField.CHKFAIL)).isEqualTo(1);
        assertThat(web2.number(StatField.CHECK_HEALTH)).isZero();
        Await.until("web1 L4OK", () -> row("app", "web1").text(StatField.CHECK_STATUS).equals("L4OK"));
        assertThat(row("app", "web1").text(StatField.STATUS)).isEqualTo("UP");
        assertThat(row("app", "web1").number(StatField.CHECK_HEALTH)).isEqualTo(4);
        StatRow be = row("app", "BACKEND");
        assertThat(be.number(StatField.ACT)).isEqualTo(1);
        assertThat(be.text(StatField.STATUS)).isEqualTo("UP");

        web1.close();
        Await.until("web1 DOWN", () -> row("app", "web1").text(StatField.STATUS).startsWith("DOWN"));
        Await.until("backend DOWN", () -> row("app", "BACKEND").text(StatField.STATUS).equals("DOWN"));
        assertThat(row("app", "web1").text(StatField.CHECK_STATUS)).isEqualTo("L4CON");
    }

    @Test
    void countersSurviveAnApplyThatKeepsTheirObjectAndARejectedApplyChangesNothing() throws Exception {
        FakeBackend web1 = backend("web1");
        FakeBackend web2 = backend("web2");
        proxy.apply(http(web1.address()));
        try (RawHttp c = new RawHttp(proxy.address("www"))) {
            for (int i = 0; i < 3; i++) {
                get(c, "/");
            }
        }
        awaitCell("app", "web1", StatField.REQ_TOT, 3);
        proxy.apply(http(web1.address()) + "  server web2 " + web2.address() + "\n");
        assertThat(cell("app", "web1", StatField.REQ_TOT)).isEqualTo(3);
        assertThat(cell("app", "BACKEND", StatField.REQ_TOT)).isEqualTo(3);
        assertThat(cell("www", "FRONTEND", StatField.REQ_TOT)).isEqualTo(3);
        assertThat(cell("app", "web2", StatField.REQ_TOT)).isZero();

        // Refused: the bind is taken by another socket. Nothing live changes, counters included.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String clash = http(web1.address()) + "  server web2 " + web2.address() + "\n"
                    + "frontend other\n  bind 127.0.0.1:" + taken.getLocalPort() + "\n  default_backend app\n";
            assertThatThrownBy(() -> proxy.dataPlane.apply(ProxyFixture.parse(clash)))
                    .isInstanceOf(ApplyException.class);
        }
        assertThat(cell("app", "web1", StatField.REQ_TOT)).isEqualTo(3);
        assertThat(cell("www", "FRONTEND", StatField.REQ_TOT)).isEqualTo(3);

        // A server that goes away and comes back starts from zero, as a new server does.
        proxy.apply(http(web2.address()).replace("web1", "web2"));
        proxy.apply(http(web1.address()));
        assertThat(cell("app", "web1", StatField.REQ_TOT)).isZero();
        assertThat(cell("www", "FRONTEND", StatField.REQ_TOT)).isEqualTo(3);
    }

    @Test
    void clearCountersResetsMaximaAndClearCountersAllEverything() throws Exception {
        FakeBackend web1 = backend("web1");
        proxy.apply(http(web1.address()));
        try (RawHttp c = new RawHttp(proxy.address("www"))) {
            get(c, "/");
            get(c, "/");
            awaitCell("app", "web1", StatField.REQ_TOT, 2);
            assertThat(cell("app", "web1", StatField.SMAX)).isEqualTo(1);
            assertThat(cell("www", "FRONTEND", StatField.SMAX)).isEqualTo(1);

            proxy.dataPlane.clearCounters(false);
            assertThat(cell("app", "web1", StatField.SMAX)).isZero();
            assertThat(cell("www", "FRONTEND", StatField.SMAX)).isEqualTo(1); // the connection is still open
            assertThat(cell("www", "FRONTEND", StatField.REQ_RATE_MAX)).isEqualTo(
                    cell("www", "FRONTEND", StatField.REQ_RATE));
            assertThat(cell("app", "web1", StatField.REQ_TOT)).isEqualTo(2);

            proxy.dataPlane.clearCounters(true);
            assertThat(cell("app", "web1", StatField.REQ_TOT)).isZero();
            assertThat(cell("app", "BACKEND", StatField.STOT)).isZero();
            assertThat(cell("www", "FRONTEND", StatField.REQ_TOT)).isZero();
            assertThat(cell("www", "FRONTEND", StatField.SCUR)).isEqualTo(1); // gauges are not counters

            get(c, "/");
            awaitCell("app", "web1", StatField.REQ_TOT, 1);
            awaitCell("www", "FRONTEND", StatField.REQ_TOT, 1);
            assertThat(cell("app", "web1", StatField.HRSP_2XX)).isEqualTo(1);
        }
    }

    @Test
    void tcpModeCountsSessionsAndBytesAndLeavesHttpCellsEmpty() throws Exception {
        FakeBackend web1 = backend("web1");
        proxy.apply("""
                defaults
                  mode tcp
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend www
                  bind 127.0.0.1:1
                  default_backend app
                backend app
                  server web1 %s
                """.formatted(web1.address()));
        try (RawHttp c = new RawHttp(proxy.address("www"))) {
            assertThat(get(c, "/").status()).isEqualTo(200);
        }
        awaitCell("app", "web1", StatField.STOT, 1);
        awaitCell("www", "FRONTEND", StatField.SCUR, 0);
        for (StatRow r : List.of(row("www", "FRONTEND"), row("app", "BACKEND"), row("app", "web1"))) {
            assertThat(r.number(StatField.STOT)).as(r.name()).isEqualTo(1);
            assertThat(r.number(StatField.BIN)).as(r.name()).isGreaterThan(10);
            assertThat(r.number(StatField.BOUT)).as(r.name()).isGreaterThan(10);
            assertThat(r.isEmpty(StatField.REQ_TOT)).as(r.name()).isTrue();
            assertThat(r.isEmpty(StatField.HRSP_2XX)).as(r.name()).isTrue();
            assertThat(r.text(StatField.MODE)).isEqualTo("tcp");
        }
    }

    @Test
    void socketStatsAddsARowPerBind() throws Exception {
        FakeBackend web1 = backend("web1");
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend www
                  option socket-stats
                  bind 127.0.0.1:1 name first
                  bind 127.0.0.1:2
                  default_backend app
                backend app
                  server web1 %s
                """.formatted(web1.address()));
        List<String> names = proxy.dataPlane.statistics().stream().map(r -> r.object() + " " + r.name()).toList();
        assertThat(names).containsExactly("FRONTEND FRONTEND", "LISTENER first", "LISTENER sock-2",
                "SERVER web1", "BACKEND BACKEND");
        var addresses = proxy.dataPlane.boundAddresses("www");
        try (RawHttp c = new RawHttp(proxy.address("www"))) {
            assertThat(get(c, "/").status()).isEqualTo(200);
        }
        Await.until("a session on a listener", () -> proxy.dataPlane.statistics().stream()
                .filter(r -> r.object() == StatObject.LISTENER).mapToLong(r -> r.number(StatField.STOT)).sum() == 1);
        StatRow first = row("www", "first");
        StatRow second = row("www", "sock-2");
        StatRow used = first.number(StatField.STOT) == 1 ? first : second;
        assertThat(used.number(StatField.BIN)).isPositive();
        assertThat(used.number(StatField.BOUT)).isPositive();
        assertThat(used.number(StatField.CONN_TOT)).isEqualTo(1);
        assertThat(used.text(StatField.STATUS)).isEqualTo("OPEN");
        assertThat(used.text(StatField.PROTO)).isEqualTo("tcpv4");
        assertThat(first.sid()).isEqualTo(1);
        assertThat(second.sid()).isEqualTo(2);
        assertThat(List.of(first.text(StatField.ADDR), second.text(StatField.ADDR))).containsExactlyInAnyOrder(
                addresses.stream().map(a -> "127.0.0.1:" + a.getPort()).toArray(String[]::new));
        assertThat(used.isEmpty(StatField.REQ_TOT)).isTrue(); // not a listener column
    }

    @Test
    void aRequestWaitingForAFullServerShowsInTheQueue() throws Exception {
        FakeBackend web1 = backend("web1");
        web1.hold = true;
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                  timeout queue 5s
                frontend www
                  bind 127.0.0.1:1
                  default_backend app
                backend app
                  server web1 %s maxconn 1
                """.formatted(web1.address()));
        try (RawHttp a = new RawHttp(proxy.address("www")); RawHttp b = new RawHttp(proxy.address("www"))) {
            a.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
            Await.until("web1 busy", () -> cell("app", "web1", StatField.SCUR) == 1);
            b.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            awaitCell("app", "BACKEND", StatField.QCUR, 1);
            assertThat(cell("app", "BACKEND", StatField.QMAX)).isEqualTo(1);
            assertThat(cell("app", "BACKEND", StatField.SCUR)).isEqualTo(2);
            web1.hold = false;
            web1.releaseHeld();
            assertThat(a.read(false).status()).isEqualTo(200);
            assertThat(b.read(false).status()).isEqualTo(200);
        }
        awaitCell("app", "BACKEND", StatField.QCUR, 0);
        assertThat(cell("app", "BACKEND", StatField.QMAX)).isEqualTo(1);
        assertThat(cell("app", "web1", StatField.SMAX)).isEqualTo(1);
        assertThat(cell("app", "BACKEND", StatField.QTIME_MAX)).isGreaterThanOrEqualTo(0);
        proxy.dataPlane.clearCounters(false);
        assertThat(cell("app", "BACKEND", StatField.QMAX)).isZero();
    }

    // ---------------------------------------------------------------- reference §3.5, column by column

    /** Columns whose values depend on time, timing, byte spelling or pooling: compared for emptiness only. */
    private static final Set<String> VARIABLE = Set.of("smax", "bin", "bout", "lastchg", "downtime", "rate",
            "rate_max", "req_rate", "req_rate_max", "conn_rate", "conn_rate_max", "check_duration", "lastsess",
            "qtime", "ctime", "rtime", "ttime", "qtime_max", "ctime_max", "rtime_max", "ttime_max", "connect",
            "reuse", "srv_icur", "idle_conn_cur", "safe_conn_cur", "used_conn_cur", "need_conn_est", "addr",
            "h1_total_connections", "h1_open_connections", "h1_bytes_in", "h1_bytes_out");

    static List<String> observedRows() throws IOException {
        try (InputStream in = StatisticsTest.class.getResourceAsStream("stats/observed-3.2.csv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
            return lines.subList(1, lines.size());
        }
    }

    @Test
    void theReferenceExampleRebuiltWithRealTrafficMatchesHaproxyColumnByColumn() throws Exception {
        FakeBackend web1 = backend("web1");
        web1.responder = req -> {
            if (!req.uri().equals("/missing")) {
                return FakeBackend.ok("web1", "web1");
            }
            var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                    Unpooled.copiedBuffer("no", StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
            return r;
        };
        int dead = closedPort();
        proxy.apply("""
                global
                  maxconn 9985
                defaults
                  mode http
                  timeout connect 1s
                  timeout client 5s
                  timeout server 5s
                frontend www
                  bind 127.0.0.1:1
                  default_backend app
                backend app
                  balance roundrobin
                  server web1 %s check weight 100 inter 100ms
                  server web2 127.0.0.1:%d check weight 100 inter 100ms
                  server web3 %s weight 50 maxconn 200 disabled
                """.formatted(web1.address(), dead, web1.address()));
        Await.until("web1 UP by its check", () -> row("app", "web1").text(StatField.CHECK_STATUS).equals("L4OK"));
        Await.until("web2 DOWN", () -> row("app", "web2").text(StatField.STATUS).equals("DOWN"));
        for (int i = 0; i < 21; i++) {
            try (RawHttp c = new RawHttp(proxy.address("www"))) {
                c.get(i == 7 ? "/missing" : "/", "example.com");
            }
        }
        awaitCell("www", "FRONTEND", StatField.REQ_TOT, 21);
        awaitCell("www", "FRONTEND", StatField.SCUR, 0);
        awaitCell("app", "BACKEND", StatField.SCUR, 0);
        List<StatRow> rows = proxy.dataPlane.statistics();
        List<String> expected = observedRows();
        assertThat(rows).hasSameSizeAs(expected);
        for (int i = 0; i < rows.size(); i++) {
            StatRow ours = rows.get(i);
            StringBuilder b = new StringBuilder();
            StatCsv.row(b, ours);
            String[] got = b.toString().stripTrailing().split(",", -1);
            String[] want = expected.get(i).split(",", -1);
            assertThat(got).hasSameSizeAs(want);
            String header = StatCsv.header().substring(2).stripTrailing();
            String[] names = header.split(",", -1);
            for (int col = 0; col < want.length; col++) {
                String what = ours.proxy() + "/" + ours.name() + " " + names[col];
                if (VARIABLE.contains(names[col])) {
                    assertThat(got[col].isEmpty()).as(what + " is empty").isEqualTo(want[col].isEmpty());
                } else {
                    assertThat(got[col]).as(what).isEqualTo(want[col]);
                }
            }
        }
        assertThat(rows.get(1).text(StatField.ADDR)).isEqualTo(web1.address());
        assertThat(rows.get(0).object()).isEqualTo(StatObject.FRONTEND);
        assertThat(rows.get(0).number(ModuleField.H1_TOTAL_STREAMS)).isEqualTo(21);
    }
}
