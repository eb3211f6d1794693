package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.proxy.upstream.ServerState.AdminState;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@code balance} algorithm end to end against three real upstreams: which server each request reached, as
 * the client saw it (the body names the server) and as the servers counted it.
 */
class BalanceScenarioTest {
    private final FakeBackend s1 = new FakeBackend("s1");
    private final FakeBackend s2 = new FakeBackend("s2");
    private final FakeBackend s3 = new FakeBackend("s3");
    private final ProxyFixture proxy = new ProxyFixture();
    private final List<RawHttp> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (FakeBackend f : List.of(s1, s2, s3)) {
            f.hold = false;
            f.releaseHeld();
        }
        for (RawHttp c : clients) {
            c.close();
        }
        proxy.close();
        s1.close();
        s2.close();
        s3.close();
    }

    private void apply(String balance, String o1, String o2, String o3) throws ApplyException {
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1 accept-proxy
                  default_backend be
                backend be
                  balance %s
                  server s1 %s %s
                  server s2 %s %s
                  server s3 %s %s
                """.formatted(balance, s1.address(), o1, s2.address(), o2, s3.address(), o3));
    }

    private RawHttp client(String sourceIp) throws Exception {
        RawHttp c = new RawHttp(proxy.address("fe"));
        clients.add(c);
        c.send("PROXY TCP4 " + sourceIp + " 10.0.0.1 40000 80\r\n");
        return c;
    }

    /** Sends {@code n} GETs on one keep-alive connection and returns the server names in order. */
    private List<String> picks(int n, String pathPrefix) throws Exception {
        RawHttp c = client("192.0.2.1");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RawHttp.Response r = c.get(pathPrefix + i, "x");
            assertThat(r.status()).isEqualTo(200);
            out.add(r.body());
        }
        return out;
    }

    private static Map<String, Integer> count(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        for (String n : names) {
            m.merge(n, 1, Integer::sum);
        }
        return m;
    }

    private void assertServersSaw(int n1, int n2, int n3) {
        assertThat(List.of(s1.requests.size(), s2.requests.size(), s3.requests.size()))
                .containsExactly(n1, n2, n3);
    }

    @Test
    void weightedRoundRobinIsSmoothAndExact() throws Exception {
        apply("roundrobin", "weight 3", "weight 2", "weight 1");
        List<String> p = picks(60, "/rr/");
        for (int w = 0; w < 60; w += 6) {
            assertThat(count(p.subList(w, w + 6))).as("window %d of %s", w, p)
                    .isEqualTo(Map.of("s1", 3, "s2", 2, "s3", 1));
        }
        for (int i = 0; i + 2 < p.size(); i++) {
            assertThat(p.get(i).equals(p.get(i + 1)) && p.get(i).equals(p.get(i + 2))).as("smooth: %s", p).isFalse();
        }
        assertServersSaw(30, 20, 10);
    }

    @Test
    void staticRoundRobinFollowsStaticWeights() throws Exception {
        apply("static-rr", "weight 2", "weight 1", "weight 1");
        List<String> p = picks(40, "/srr/");
        for (int w = 0; w < 40; w += 4) {
            assertThat(count(p.subList(w, w + 4))).isEqualTo(Map.of("s1", 2, "s2", 1, "s3", 1));
        }
        assertServersSaw(20, 10, 10);
    }

    @Test
    void weightZeroIsNeverPicked() throws Exception {
        apply("roundrobin", "", "", "weight 0");
        List<String> p = picks(30, "/w0/");
        assertThat(count(p)).isEqualTo(Map.of("s1", 15, "s2", 15));
        assertServersSaw(15, 15, 0);
    }

    @Test
    void leastconnSendsTheNextRequestToAnIdleServer() throws Exception {
        apply("leastconn", "", "", "");
        for (FakeBackend f : List.of(s1, s2, s3)) {
            f.hold = true;
        }
        for (int i = 1; i <= 3; i++) {
            client("192.0.2." + i).send("GET /slow" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
            int expected = i;
            Await.until(i + " in flight", () -> s1.requests.size() + s2.requests.size() + s3.requests.size()
                    == expected);
        }
        assertServersSaw(1, 1, 1); // each new request went to a server with no request in flight
        for (FakeBackend f : List.of(s1, s2, s3)) {
            f.hold = false;
            f.releaseHeld();
        }
        Set<String> bodies = new HashSet<>();
        for (RawHttp c : clients) {
            bodies.add(c.read(false).body());
        }
        assertThat(bodies).containsExactlyInAnyOrder("s1", "s2", "s3");
    }

    @Test
    void leastconnAvoidsTheBusyServerWhileOthersAreIdle() throws Exception {
        apply("leastconn", "", "", "");
        s1.hold = true;
        s2.hold = true;
        s3.hold = true;
        RawHttp slow = client("192.0.2.50");
        slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        Await.until("the slow request at a server",
                () -> s1.requests.size() + s2.requests.size() + s3.requests.size() == 1);
        FakeBackend busy = !s1.requests.isEmpty() ? s1 : !s2.requests.isEmpty() ? s2 : s3;
        for (FakeBackend f : List.of(s1, s2, s3)) {
            if (f != busy) {
                f.hold = false;
            }
        }
        List<String> p = picks(20, "/quick/");
        assertThat(p).doesNotContain(busy.name);
        assertThat(busy.requests).hasSize(1);
        busy.hold = false;
        busy.releaseHeld();
        assertThat(slow.read(false).body()).isEqualTo(busy.name);
    }

    @Test
    void firstFillsServerOneUpToItsMaxconnBeforeTheNext() throws Exception {
        apply("first", "maxconn 2", "maxconn 2", "");
        for (FakeBackend f : List.of(s1, s2, s3)) {
            f.hold = true;
        }
        int[][] expected = {{1, 0, 0}, {2, 0, 0}, {2, 1, 0}, {2, 2, 0}, {2, 2, 1}, {2, 2, 2}};
        for (int i = 0; i < expected.length; i++) {
            client("192.0.2." + (i + 1)).send("GET /f" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
            int n = i + 1;
            Await.until(n + " requests at the servers",
                    () -> s1.requests.size() + s2.requests.size() + s3.requests.size() == n);
            assertServersSaw(expected[i][0], expected[i][1], expected[i][2]);
        }
        for (FakeBackend f : List.of(s1, s2, s3)) {
            f.hold = false;
            f.releaseHeld();
        }
        for (RawHttp c : clients) {
            assertThat(c.read(false).status()).isEqualTo(200);
        }
        // all idle again: the next request goes to s1
        assertThat(picks(1, "/again").get(0)).isEqualTo("s1");
    }

    @Test
    void sourceSendsOneClientAddressToOneServerAndSpreadsAddresses() throws Exception {
        apply("source", "", "", "");
        String first = null;
        for (int i = 0; i < 6; i++) {
            try (RawHttp c = new RawHttp(proxy.address("fe"))) {
                c.send("PROXY TCP4 203.0.113.77 10.0.0.1 " + (40000 + i) + " 80\r\n");
                String server = c.get("/same", "x").body();
                first = first == null ? server : first;
                assertThat(server).isEqualTo(first);
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 1; i <= 30; i++) {
            try (RawHttp c = new RawHttp(proxy.address("fe"))) {
                c.send("PROXY TCP4 198.51.100." + i + " 10.0.0.1 40000 80\r\n");
                seen.add(c.get("/spread", "x").body());
                // the same source again on a new connection: the same server
                try (RawHttp again = new RawHttp(proxy.address("fe"))) {
                    again.send("PROXY TCP4 198.51.100." + i + " 10.0.0.1 50000 80\r\n");
                    assertThat(again.get("/spread", "x").body()).isEqualTo(c.get("/spread", "x").body());
                }
            }
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void uriHashesThePathWithoutTheQuery() throws Exception {
        apply("uri", "", "", "");
        RawHttp c = client("192.0.2.1");
        String owner = c.get("/doc/a?v=1", "x").body();
        for (int i = 0; i < 10; i++) {
            assertThat(c.get("/doc/a?v=" + i, "x").body()).isEqualTo(owner);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            seen.add(c.get("/doc/" + i, "x").body());
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void urlParamHashesTheParameter() throws Exception {
        apply("url_param user", "", "", "");
        RawHttp c = client("192.0.2.1");
        String owner = c.get("/p?user=alice", "x").body();
        for (int i = 0; i < 10; i++) {
            assertThat(c.get("/other/" + i + "?x=" + i + "&user=alice", "x").body()).isEqualTo(owner);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            seen.add(c.get("/p?user=u" + i, "x").body());
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
        // no parameter: still served (round robin fallback)
        assertThat(c.get("/p", "x").status()).isEqualTo(200);
    }

    @Test
    void hdrHashesTheHeaderValue() throws Exception {
        apply("hdr(X-User)", "", "", "");
        RawHttp c = client("192.0.2.1");
        c.send("GET /h HTTP/1.1\r\nHost: x\r\nX-User: bob\r\n\r\n");
        String owner = c.read(false).body();
        for (int i = 0; i < 10; i++) {
            c.send("GET /h" + i + " HTTP/1.1\r\nHost: x\r\nX-User: bob\r\n\r\n");
            assertThat(c.read(false).body()).isEqualTo(owner);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            c.send("GET /h HTTP/1.1\r\nHost: x\r\nX-User: user" + i + "\r\n\r\n");
            seen.add(c.read(false).body());
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void randomUsesEveryPositiveWeightServerAndNeverAZeroWeightOne() throws Exception {
        apply("random", "", "", "weight 0");
        List<String> p = picks(120, "/rnd/");
        // P(one of two equal servers never drawn in 120 requests) = 2 * 2^-120
        assertThat(count(p).keySet()).containsExactlyInAnyOrder("s1", "s2");
        assertThat(s3.requests).isEmpty();
    }

    @Test
    void backupIsUsedOnlyWhenEveryActiveServerIsDown() throws Exception {
        apply("roundrobin", "", "", "backup");
        assertThat(count(picks(10, "/up/"))).isEqualTo(Map.of("s1", 5, "s2", 5));
        proxy.dataPlane.serverState("be", "s1").orElseThrow().setAdminState(AdminState.MAINT);
        assertThat(count(picks(4, "/one-down/"))).isEqualTo(Map.of("s2", 4));
        proxy.dataPlane.serverState("be", "s2").orElseThrow().setAdminState(AdminState.MAINT);
        assertThat(count(picks(4, "/all-down/"))).isEqualTo(Map.of("s3", 4));
        proxy.dataPlane.serverState("be", "s1").orElseThrow().setAdminState(AdminState.READY);
        assertThat(count(picks(4, "/back/"))).isEqualTo(Map.of("s1", 4));
        assertThat(s3.requests).extracting(FakeBackend.Seen::uri).allMatch(u -> u.startsWith("/all-down/"));
    }

    @Test
    void retriesWithoutRedispatchStayOnTheSameServer() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  balance first
                  retries 3
                  server dead 127.0.0.1:%d
                  server live %s
                """.formatted(dead, s2.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/", "x").status()).isEqualTo(503);
        }
        var state = proxy.dataPlane.serverState("be", "dead").orElseThrow();
        assertThat(state.connectErrors()).isEqualTo(4); // the first attempt and three retries, all to 'dead'
        assertThat(state.retries()).isEqualTo(3);
        assertThat(state.redispatches()).isZero();
        assertThat(s2.requests).isEmpty();
    }
}
