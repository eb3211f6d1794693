package io.flagman.proxy.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagman.config.model.Balance;
import io.flagman.config.model.Balance.Algorithm;
import io.flagman.proxy.rule.SampleSource;
import io.flagman.proxy.rule.TestSample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadBalancersTest {

    private static final SampleSource REQUEST = TestSample.get("/");

    private static LoadBalancer lb(Algorithm algorithm, String argument, TestServer... servers) {
        return LoadBalancers.create(new Balance(algorithm, argument), List.of(servers));
    }

    private static List<String> picks(LoadBalancer lb, SampleSource r, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Candidate c = lb.pick(r);
            names.add(c == null ? null : c.name());
        }
        return names;
    }

    private static Map<String, Integer> counts(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        names.forEach(n -> m.merge(n, 1, Integer::sum));
        return m;
    }

    @Test
    void roundRobinIsSmoothAndWeighted() {
        LoadBalancer lb = lb(Algorithm.ROUNDROBIN, null, TestServer.of("a", 5), TestServer.of("b", 1), TestServer.of("c", 1));
        assertThat(picks(lb, REQUEST, 7)).containsExactly("a", "a", "b", "a", "c", "a", "a");
        assertThat(counts(picks(lb, REQUEST, 700))).containsEntry("a", 500).containsEntry("b", 100).containsEntry("c", 100);
    }

    @Test
    void roundRobinReadsLiveWeightsAndSkipsUnusableAndZeroWeight() {
        TestServer a = TestServer.of("a", 1);
        TestServer b = TestServer.of("b", 1);
        TestServer c = TestServer.of("c", 0);
        LoadBalancer lb = lb(Algorithm.ROUNDROBIN, null, a, b, c);
        assertThat(picks(lb, REQUEST, 4)).containsExactly("a", "b", "a", "b");
        b.usable = false;
        assertThat(picks(lb, REQUEST, 3)).containsOnly("a");
        b.usable = true;
        a.weight = 3;
        assertThat(counts(picks(lb, REQUEST, 400))).containsEntry("a", 300).containsEntry("b", 100).doesNotContainKey("c");
    }

    @Test
    void staticRoundRobinKeepsItsInitialWeights() {
        TestServer a = TestServer.of("a", 2);
        TestServer b = TestServer.of("b", 1);
        LoadBalancer lb = lb(Algorithm.STATIC_RR, null, a, b);
        a.weight = 100;
        assertThat(counts(picks(lb, REQUEST, 300))).containsEntry("a", 200).containsEntry("b", 100);
    }

    @Test
    void nothingUsableIsNull() {
        TestServer a = TestServer.of("a", 1);
        a.usable = false;
        for (Algorithm algorithm : Algorithm.values()) {
            String arg = switch (algorithm) {
                case HDR -> "host";
                case URL_PARAM -> "id";
                default -> null;
            };
            assertThat(lb(algorithm, arg, a, TestServer.of("zero", 0)).pick(REQUEST)).as(algorithm.keyword()).isNull();
            assertThat(lb(algorithm, arg).pick(REQUEST)).as(algorithm.keyword() + " without servers").isNull();
        }
    }

    @Test
    void backupsOnlyWhenNoActiveServerAndFirstBackupByDefault() {
        TestServer a = TestServer.of("a", 1);
        TestServer b1 = TestServer.backup("b1");
        TestServer b2 = TestServer.backup("b2");
        LoadBalancer lb = lb(Algorithm.ROUNDROBIN, null, b1, a, b2);
        assertThat(picks(lb, REQUEST, 3)).containsOnly("a");
        a.usable = false;
        assertThat(picks(lb, REQUEST, 3)).containsOnly("b1");
        b1.usable = false;
        assertThat(picks(lb, REQUEST, 3)).containsOnly("b2");
        a.usable = true;
        assertThat(picks(lb, REQUEST, 3)).containsOnly("a");
    }

    @Test
    void allBackupsBalancesOverEveryBackup() {
        TestServer a = TestServer.of("a", 1);
        a.usable = false;
        LoadBalancer lb = LoadBalancers.create(Balance.ROUND_ROBIN, List.of(a, TestServer.backup("b1"), TestServer.backup("b2")), true);
        assertThat(picks(lb, REQUEST, 4)).containsExactly("b1", "b2", "b1", "b2");
    }

    @Test
    void leastConnPicksLowestLoadPerWeightAndRotatesTies() {
        TestServer a = TestServer.of("a", 1);
        TestServer b = TestServer.of("b", 1);
        TestServer c = TestServer.of("c", 2);
        LoadBalancer lb = lb(Algorithm.LEASTCONN, null, a, b, c);
        assertThat(new HashSet<>(picks(lb, REQUEST, 3))).containsExactlyInAnyOrder("a", "b", "c");
        a.connections = 3;
        b.connections = 2;
        c.connections = 5; // 2.5 per weight unit
        assertThat(picks(lb, REQUEST, 3)).containsOnly("b");
        c.connections = 3; // 1.5
        assertThat(picks(lb, REQUEST, 3)).containsOnly("c");
        c.usable = false;
        assertThat(picks(lb, REQUEST, 3)).containsOnly("b");
    }

    @Test
    void firstFillsServersInDeclarationOrder() {
        TestServer a = TestServer.of("a", 1);
        TestServer b = TestServer.of("b", 1);
        TestServer c = TestServer.of("c", 1);
        LoadBalancer lb = lb(Algorithm.FIRST, null, a, b, c);
        assertThat(picks(lb, REQUEST, 3)).containsOnly("a");
        a.usable = false; // full
        assertThat(picks(lb, REQUEST, 3)).containsOnly("b");
        b.weight = 0;
        assertThat(picks(lb, REQUEST, 3)).containsOnly("c");
    }

    @Test
    void sourceIsStickyAndWeighted() {
        TestServer a = TestServer.of("a", 1);
        TestServer b = TestServer.of("b", 3);
        LoadBalancer lb = lb(Algorithm.SOURCE, null, a, b);
        Map<String, Integer> spread = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            SampleSource client = TestSample.tcp("10." + (i >> 8 & 255) + "." + (i & 255) + ".7");
            String first = lb.pick(client).name();
            assertThat(picks(lb, client, 5)).containsOnly(first);
            spread.merge(first, 1, Integer::sum);
        }
        assertThat(spread.get("b")).isBetween(2700, 3300);
        SampleSource client = TestSample.tcp("203.0.113.9");
        String before = lb.pick(client).name();
        (before.equals("a") ? b : a).usable = false;
        assertThat(lb.pick(client).name()).isEqualTo(before);
    }

    @Test
    void uriHashesThePartBeforeTheQuery() {
        LoadBalancer lb = lb(Algorithm.URI, null, TestServer.of("a", 1), TestServer.of("b", 1), TestServer.of("c", 1));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String name = lb.pick(TestSample.get("/img/" + i + ".png")).name();
            assertThat(lb.pick(TestSample.get("/img/" + i + ".png?v=" + i)).name()).isEqualTo(name);
            seen.add(name);
        }
        assertThat(seen).hasSize(3);
    }

    @Test
    void urlParamHashesTheParameterAndFallsBackToRoundRobin() {
        LoadBalancer lb = lb(Algorithm.URL_PARAM, "user", TestServer.of("a", 1), TestServer.of("b", 1));
        for (int i = 0; i < 20; i++) {
            String name = lb.pick(TestSample.get("/x?user=u" + i)).name();
            assertThat(lb.pick(TestSample.get("/y?z=1&user=u" + i)).name()).isEqualTo(name);
        }
        assertThat(picks(lb, TestSample.get("/x"), 4)).containsExactly("a", "b", "a", "b");
    }

    @Test
    void hdrHashesTheHeaderAndFallsBackToRoundRobin() {
        LoadBalancer lb = lb(Algorithm.HDR, "X-Tenant", TestServer.of("a", 1), TestServer.of("b", 1));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            SampleSource r = TestSample.get("/").header("x-tenant", "t" + i);
            String name = lb.pick(r).name();
            assertThat(picks(lb, r, 3)).containsOnly(name);
            seen.add(name);
        }
        assertThat(seen).hasSize(2);
        assertThat(picks(lb, REQUEST, 4)).containsExactly("a", "b", "a", "b");
        assertThatThrownBy(() -> lb(Algorithm.HDR, null, TestServer.of("a", 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomRespectsWeightsAndPrefersTheLeastLoaded() {
        TestServer a = TestServer.of("a", 1);
        TestServer b = TestServer.of("b", 3);
        LoadBalancer one = lb(Algorithm.RANDOM, "1", a, b);
        Map<String, Integer> spread = counts(picks(one, REQUEST, 8000));
        assertThat(spread.get("b")).isBetween(5600, 6400);
        b.connections = 100;
        LoadBalancer two = lb(Algorithm.RANDOM, null, a, b);
        // b wins only when both draws land on b: 9/16 of the time.
        assertThat(counts(picks(two, REQUEST, 8000)).get("a")).isBetween(3100, 3900);
    }

    @Test
    void roundRobinIsExactUnderConcurrency() throws InterruptedException {
        LoadBalancer lb = lb(Algorithm.ROUNDROBIN, null, TestServer.of("a", 2), TestServer.of("b", 1));
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 30_000; i++) {
                    seen.computeIfAbsent(lb.pick(REQUEST).name(), k -> new AtomicInteger()).incrementAndGet();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(seen.get("a").get()).isEqualTo(80_000);
        assertThat(seen.get("b").get()).isEqualTo(40_000);
    }
}
