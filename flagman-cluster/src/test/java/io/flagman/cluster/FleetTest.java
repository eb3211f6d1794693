package io.flagman.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Fleet operations against a real etcd; node reports are written directly (no node runs). */
class FleetTest {

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static EtcdProcess etcd;
    private final List<EtcdStore> stores = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.single();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(EtcdStore::close);
    }

    private EtcdStore store(TestInfo info) {
        if (prefix == null) {
            prefix = "/fleet-test/" + PREFIXES.incrementAndGet() + "-" + info.getTestMethod().orElseThrow().getName();
        }
        EtcdStore s = etcd.store(prefix);
        stores.add(s);
        return s;
    }

    private static NodeStatus node(String name, String channel, long version, String checksum, String state,
            String error) {
        return new NodeStatus(name, channel, version, checksum, state, error, Health.none(), "dev",
                Instant.now(), Instant.now(), null);
    }

    /** Publishes {@code text} on {@code channel} over whatever it points to now. */
    private static ChannelPointer publish(EtcdStore s, String channel, String text) {
        long rev = s.channel(channel).value().map(ChannelPointer::modRevision).orElse(0L);
        return s.publish(channel, rev, text, "alice", "change").value();
    }

    private static void applied(EtcdStore s, String node, String channel, ChannelPointer p, String text) {
        s.report(node(node, channel, p.version(), Blobs.checksum(text), "ok", null)).value();
    }

    @Test
    void promoteIsRefusedUntilEveryLiveSourceNodeHasAppliedAndForceIsRecorded(TestInfo info) {
        EtcdStore s = store(info);
        Fleet fleet = new Fleet(s);
        ChannelPointer v1 = publish(s, "staging", "global\n");
        applied(s, "staging-1", "staging", v1, "global\n");
        s.report(node("staging-2", "staging", 0, null, "error", "cannot bind 127.0.0.1:8080: port taken")).value();

        FleetResult<PromoteOutcome> refused = fleet.promote(PromoteRequest.of("staging", "production", "bob"));
        assertThat(refused).isInstanceOf(FleetResult.Refused.class);
        assertThat(refused.message()).isEqualTo("refused: node staging-2 has not applied version 1 (it runs 0,"
                + " state error, error: cannot bind 127.0.0.1:8080: port taken); use --force to promote anyway");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.httpStatus()).isEqualTo(409);
        assertThat(s.channel("production").value()).isEmpty();

        FleetResult<PromoteOutcome> forced = fleet.promote(PromoteRequest.of("staging", "production", "bob").forced());
        assertThat(forced).isInstanceOf(FleetResult.Done.class);
        assertThat(forced.value().pointer().version()).isEqualTo(1);
        HistoryEntry h = s.history("production").value().getLast();
        assertThat(h.forced()).isTrue();
        assertThat(h.reason()).startsWith("forced: node staging-2 has not applied version 1");
        assertThat(h.action()).isEqualTo("promote");
        assertThat(h.by()).isEqualTo("bob");

        ChannelPointer v2 = publish(s, "staging", "global\n  maxconn 100\n");
        applied(s, "staging-1", "staging", v2, "global\n  maxconn 100\n");
        s.report(node("staging-2", "staging", 2, v2.version() == 2 ? Blobs.checksum("global\n  maxconn 100\n")
                : null, "applying", null)).value();
        assertThat(fleet.promote(PromoteRequest.of("staging", "production", "bob")).message())
                .contains("node staging-2 has not applied version 2 (it runs 2, state applying)");
        applied(s, "staging-2", "staging", v2, "global\n  maxconn 100\n");
        FleetResult<PromoteOutcome> ok = fleet.promote(PromoteRequest.of("staging", "production", "bob"));
        assertThat(ok.message()).isEqualTo("promoted version 2 from staging to production (was 1)");
        assertThat(s.channel("production").value().orElseThrow())
                .extracting(ChannelPointer::version, ChannelPointer::previous).containsExactly(2L, 1L);
        assertThat(s.history("production").value()).extracting(HistoryEntry::from, HistoryEntry::to,
                HistoryEntry::forced).containsExactly(tuple(0L, 1L, true), tuple(1L, 2L, false));

        assertThat(fleet.promote(PromoteRequest.of("staging", "production", "bob")).message())
                .isEqualTo("channel 'production' already serves version 2; nothing to do");
        assertThat(fleet.promote(PromoteRequest.of("staging", "production", "bob").withVersion(9)))
                .isInstanceOfSatisfying(FleetResult.Invalid.class,
                        i -> assertThat(i.message()).startsWith("no version 9 in etcd"));
    }

    @Test
    void promoteWithNoLiveSourceNodeIsRefused(TestInfo info) {
        EtcdStore s = store(info);
        publish(s, "staging", "global\n");
        FleetResult<PromoteOutcome> r = new Fleet(s).promote(PromoteRequest.of("staging", "production", "bob"));
        assertThat(r.message()).startsWith("refused: no live node of channel 'staging' reports version 1");
    }

    @Test
    void twoConcurrentPromotionsExactlyOneWinsTheOtherIsRefusedWithTheWinnersVersion(TestInfo info)
            throws Exception {
        EtcdStore setup = store(info);
        ChannelPointer a = publish(setup, "staging-a", "global\n  maxconn 1\n");
        ChannelPointer b = publish(setup, "staging-b", "global\n  maxconn 2\n");
        applied(setup, "sa", "staging-a", a, "global\n  maxconn 1\n");
        applied(setup, "sb", "staging-b", b, "global\n  maxconn 2\n");
        ChannelPointer base = publish(setup, "production", "global\n  maxconn 0\n");

        // Both promotions have read and checked everything before either compares-and-sets: really concurrent.
        CyclicBarrier bothRead = new CyclicBarrier(2);
        Runnable hook = () -> {
            try {
                bothRead.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new AssertionError(e);
            }
        };
        Fleet fa = new Fleet(store(info), hook);
        Fleet fb = new Fleet(store(info), hook);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<FleetResult<PromoteOutcome>> ra = pool.submit(() -> {
                go.await();
                return fa.promote(PromoteRequest.of("staging-a", "production", "ann"));
            });
            Future<FleetResult<PromoteOutcome>> rb = pool.submit(() -> {
                go.await();
                return fb.promote(PromoteRequest.of("staging-b", "production", "ben"));
            });
            go.countDown();
            List<FleetResult<PromoteOutcome>> results = List.of(ra.get(20, TimeUnit.SECONDS),
                    rb.get(20, TimeUnit.SECONDS));
            List<FleetResult<PromoteOutcome>> won = results.stream().filter(r -> r instanceof FleetResult.Done)
                    .toList();
            List<FleetResult<PromoteOutcome>> lost = results.stream()
                    .filter(r -> r instanceof FleetResult.Refused).toList();
            assertThat(won).hasSize(1);
            assertThat(lost).hasSize(1);
            long winner = won.get(0).value().pointer().version();
            assertThat(winner).isIn(a.version(), b.version());
            FleetResult.Refused<PromoteOutcome> refusal = (FleetResult.Refused<PromoteOutcome>) lost.get(0);
            assertThat(refusal.current().version()).isEqualTo(winner);
            assertThat(refusal.message()).contains("channel 'production' moved meanwhile: it now points to version "
                    + winner);
            assertThat(setup.channel("production").value().orElseThrow().version()).isEqualTo(winner);
            assertThat(setup.history("production").value()).extracting(HistoryEntry::from, HistoryEntry::to)
                    .containsExactly(tuple(0L, base.version()), tuple(base.version(), winner));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void canaryMovesTheChosenNodesFirstAndContinueMovesTheRest(TestInfo info) {
        EtcdStore s = store(info);
        Fleet fleet = new Fleet(s);
        ChannelPointer v1 = publish(s, "staging", "global\n");
        applied(s, "staging-1", "staging", v1, "global\n");
        fleet.promote(PromoteRequest.of("staging", "production", "ops")).value();
        for (String n : List.of("prod-3", "prod-1", "prod-2")) {
            applied(s, n, "production", v1, "global\n");
        }
        ChannelPointer v2 = publish(s, "staging", "global\n  maxconn 7\n");
        applied(s, "staging-1", "staging", v2, "global\n  maxconn 7\n");

        assertThat(fleet.promote(PromoteRequest.of("staging", "production", "ops")
                .withCanary(PromoteRequest.CanarySpec.parse("prod-9"))).message())
                .isEqualTo("--canary prod-9: not a live node of channel 'production' (live: prod-1, prod-2, prod-3)");
        assertThat(fleet.promote(PromoteRequest.of("staging", "production", "ops")
                .withCanary(PromoteRequest.CanarySpec.parse("4"))).message())
                .startsWith("--canary 4: channel 'production' has 3 live nodes");

        FleetResult<PromoteOutcome> canary = fleet.promote(PromoteRequest.of("staging", "production", "ops")
                .withCanary(PromoteRequest.CanarySpec.parse("2")));
        ChannelPointer p = canary.value().pointer();
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.canary()).isEqualTo(new Canary(2, List.of("prod-1", "prod-2")));
        assertThat(p.versionFor("prod-1")).isEqualTo(2);
        assertThat(p.versionFor("prod-3")).isEqualTo(1);
        assertThat(canary.message()).contains("canary: version 2 on prod-1, prod-2 of production");

        FleetResult<PromoteOutcome> cont = fleet.continuePromotion("production", "ops");
        assertThat(cont.value().pointer()).extracting(ChannelPointer::version, ChannelPointer::previous,
                ChannelPointer::canary).containsExactly(2L, 1L, null);
        assertThat(fleet.continuePromotion("production", "ops")).isInstanceOfSatisfying(FleetResult.Refused.class,
                r -> assertThat(r.message()).contains("has no canary to continue"));
        assertThat(s.history("production").value()).extracting(HistoryEntry::action, HistoryEntry::to)
                .containsExactly(tuple("promote", 1L), tuple("canary", 2L), tuple("continue", 2L));

        FleetResult<PromoteOutcome> named = fleet.promote(PromoteRequest.of("staging", "production", "ops")
                .withVersion(1).forced().withCanary(PromoteRequest.CanarySpec.parse("prod-3")));
        assertThat(named.value().pointer().canary()).isEqualTo(new Canary(1, List.of("prod-3")));
    }

    @Test
    void confirmWindowRecordsTheVersionToGoBackTo(TestInfo info) {
        EtcdStore s = store(info);
        Fleet fleet = new Fleet(s);
        ChannelPointer v1 = publish(s, "staging", "global\n");
        applied(s, "staging-1", "staging", v1, "global\n");
        fleet.promote(PromoteRequest.of("staging", "production", "ops")).value();
        ChannelPointer v2 = publish(s, "staging", "global\n  maxconn 3\n");
        applied(s, "staging-1", "staging", v2, "global\n  maxconn 3\n");
        Instant before = Instant.now();
        ChannelPointer p = fleet.promote(PromoteRequest.of("staging", "production", "ops")
                .withConfirm(Duration.ofSeconds(60), 0.1)).value().pointer();
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.confirm().rollbackTo()).isEqualTo(1);
        assertThat(p.confirm().maxHttp5xxRate()).isEqualTo(0.1);
        assertThat(p.confirm().until()).isBetween(before.plusSeconds(59), Instant.now().plusSeconds(61));
        assertThat(s.channel("production").value().orElseThrow().confirm()).isEqualTo(p.confirm());
    }

    @Test
    void rollbackIsANewMoveAndHistoryOnlyGrows(TestInfo info) {
        EtcdStore s = store(info);
        Fleet fleet = new Fleet(s);
        publish(s, "production", "global\n");
        publish(s, "production", "global\n  maxconn 2\n");
        int before = s.history("production").value().size();
        assertThat(fleet.rollback("production", 99, "ops")).isInstanceOfSatisfying(FleetResult.Invalid.class,
                i -> assertThat(i.message()).startsWith("no version 99"));
        assertThat(fleet.rollback("nowhere", 1, "ops").message()).startsWith("no channel 'nowhere'");
        FleetResult<PromoteOutcome> r = fleet.rollback("production", 1, "ops");
        assertThat(r.message()).isEqualTo("rolled back production to version 1 (was 2)");
        assertThat(r.value().pointer()).extracting(ChannelPointer::version, ChannelPointer::previous)
                .containsExactly(1L, 2L);
        List<HistoryEntry> h = fleet.history("production").value();
        assertThat(h).hasSize(before + 1);
        assertThat(h.getLast()).extracting(HistoryEntry::action, HistoryEntry::from, HistoryEntry::to, HistoryEntry::by)
                .containsExactly("rollback", 2L, 1L, "ops");
        assertThat(fleet.history(null).value()).hasSize(before + 1);
    }

    @Test
    void diffIsAUnifiedDiffOfTheTwoTexts(TestInfo info) {
        EtcdStore s = store(info);
        Fleet fleet = new Fleet(s);
        publish(s, "staging", "global\n  maxconn 1\n\ndefaults\n  mode http\n");
        publish(s, "staging", "# _version=2\nglobal\n  maxconn 2\n\ndefaults\n  mode http\n");
        assertThat(fleet.diff(1, 2).value()).isEqualTo("""
                --- version 1
                +++ version 2
                @@ -1,5 +1,5 @@
                 global
                -  maxconn 1
                +  maxconn 2
                \s
                 defaults
                   mode http
                """);
        assertThat(fleet.diff(2, 2).value()).isEmpty();
        assertThat(fleet.diff(1, 5).message()).startsWith("no version 5");
    }

    @Test
    void fleetViewShowsLagDriftAndGoneNodes(TestInfo info) {
        EtcdStore s = store(info);
        Fleet fleet = new Fleet(s);
        ChannelPointer v1 = publish(s, "production", "global\n");
        ChannelPointer v2 = publish(s, "production", "global\n  maxconn 2\n");
        s.report(node("prod-1", "production", 1, Blobs.checksum("global\n"), "applying", null)).value();
        s.report(node("prod-2", "production", 2, Blobs.checksum("global\n  maxconn 2\n"), "ok", null)).value();
        s.report(node("prod-3", "production", 2, Blobs.checksum("global\n  maxconn 999\n"), "ok", null)).value();
        EtcdStore leaving = store(info);
        leaving.report(node("prod-4", "production", 2, Blobs.checksum("global\n  maxconn 2\n"), "ok", null)).value();
        leaving.leave().value();

        FleetView view = fleet.fleetView().value();
        assertThat(view.channels()).extracting(ChannelPointer::channel, ChannelPointer::version)
                .containsExactly(tuple("production", v2.version()));
        assertThat(view.nodes()).extracting(NodeView::node, NodeView::version, NodeView::lag, NodeView::drifted,
                NodeView::state, NodeView::gone).containsExactly(
                        tuple("prod-1", v1.version(), 1L, false, "applying", false),
                        tuple("prod-2", 2L, 0L, false, "ok", false),
                        tuple("prod-3", 2L, 0L, true, "ok", false),
                        tuple("prod-4", 2L, 0L, false, "gone", true));
    }
}
