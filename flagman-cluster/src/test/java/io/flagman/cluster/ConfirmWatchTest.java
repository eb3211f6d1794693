package io.flagman.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Commit-confirmed on one node against a real etcd: the watch moves the pointer back on a regression (a server
 * newly DOWN, a 5xx rate above the bound) and clears the window after it. The data plane's health is the one
 * thing this module cannot run: it is given as values (flagman-app's CommitConfirmedIT runs it for real).
 */
@Timeout(60)
class ConfirmWatchTest {
    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.single();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    private static final Health HEALTHY = new Health(2, 1, List.of("app/old-down"), 1000, 3);

    /** Publishes v1 and v2 on {@code production}, then points it at v2 with a window until {@code until}. */
    private static ChannelPointer promoted(EtcdStore s, Instant until, double rate) {
        ChannelPointer one = s.publish("production", 0, "global\n", "t", "one").value();
        ChannelPointer two = s.publish("production", one.modRevision(), "global\n  maxconn 5\n", "t", "two").value();
        Instant now = Instant.now();
        ChannelPointer next = new ChannelPointer("production", two.version(), one.version(), null,
                new Confirm(until, one.version(), rate), now, "alice", 0);
        return s.move(next, two.modRevision(), new HistoryEntry(now, "production", one.version(), two.version(),
                "promote", "alice", null, false)).value();
    }

    @Test
    void aServerThatGoesDownRollsTheChannelBackWithTheReason() {
        try (EtcdStore s = etcd.store("/test/confirm-down")) {
            ChannelPointer p = promoted(s, Instant.now().plusSeconds(60), 0);
            AtomicReference<Health> health = new AtomicReference<>(HEALTHY);
            AtomicLong served = new AtomicLong(1);
            try (ConfirmWatch w = new ConfirmWatch(s, "prod-1", health::get, served::get, Clock.systemUTC())) {
                w.pointer(p); // before the apply: the baseline is version 1's health
                served.set(p.version());
                health.set(new Health(1, 2, List.of("app/old-down", "app/web1"), 1010, 3));
                await(() -> s.channel("production").value().orElseThrow().version() == 1);
            }
            ChannelPointer back = s.channel("production").value().orElseThrow();
            assertThat(back.confirm()).isNull();
            assertThat(back.previous()).isEqualTo(2);
            HistoryEntry last = s.history("production").value().getLast();
            assertThat(last.action()).isEqualTo("auto-rollback");
            assertThat(last.from()).isEqualTo(2);
            assertThat(last.to()).isEqualTo(1);
            assertThat(last.by()).isEqualTo("node prod-1");
            assertThat(last.reason()).isEqualTo("version 2 on node prod-1: server app/web1 went DOWN (not DOWN when"
                    + " the window opened)");
        }
    }

    @Test
    void a5xxRateAboveTheBoundRollsBackButNotBelowIt() {
        assertThat(ConfirmWatch.regression(HEALTHY, new Health(2, 1, List.of("app/old-down"), 1100, 8), 0))
                .as("5 of 100 = 5%% is not above the default 5%%").isNull();
        assertThat(ConfirmWatch.regression(HEALTHY, new Health(2, 1, List.of("app/old-down"), 1010, 13), 0))
                .as("10 of 10: too few responses to judge").isNull();
        assertThat(ConfirmWatch.regression(HEALTHY, new Health(2, 1, List.of("app/old-down"), 1100, 9), 0))
                .isEqualTo("5xx rate 6.0% (6 of 100 responses since the window opened) is above 5.0%");
        assertThat(ConfirmWatch.regression(HEALTHY, new Health(2, 1, List.of("app/old-down"), 1100, 9), 0.1))
                .isNull();
        assertThat(ConfirmWatch.regression(HEALTHY, new Health(3, 0, List.of(), 1000, 3), 0))
                .as("a server coming back UP is no regression").isNull();

        try (EtcdStore s = etcd.store("/test/confirm-5xx")) {
            ChannelPointer p = promoted(s, Instant.now().plusSeconds(60), 0.2);
            AtomicReference<Health> health = new AtomicReference<>(HEALTHY);
            try (ConfirmWatch w = new ConfirmWatch(s, "prod-2", health::get, () -> 2, Clock.systemUTC())) {
                w.pointer(p);
                health.set(new Health(2, 1, List.of("app/old-down"), 1050, 20));
                await(() -> s.channel("production").value().orElseThrow().version() == 1);
            }
            assertThat(s.history("production").value().getLast().reason())
                    .isEqualTo("version 2 on node prod-2: 5xx rate 34.0% (17 of 50 responses since the window"
                            + " opened) is above 20.0%");
        }
    }

    @Test
    void noRegressionUntilTheEndConfirmsAndANodeNotServingTheVersionDoesNotJudge() {
        try (EtcdStore s = etcd.store("/test/confirm-ok")) {
            ChannelPointer p = promoted(s, Instant.now().plusMillis(1500), 0);
            AtomicReference<Health> health = new AtomicReference<>(HEALTHY);
            try (ConfirmWatch lagging = new ConfirmWatch(s, "prod-3", health::get, () -> 1, Clock.systemUTC());
                    ConfirmWatch fine = new ConfirmWatch(s, "prod-1", () -> HEALTHY,
                            () -> 2, Clock.systemUTC())) {
                lagging.pointer(p);
                fine.pointer(p);
                // prod-3 failed to apply version 2 and its old servers are down: not version 2's fault
                health.set(new Health(0, 3, List.of("app/old-down", "app/web1", "app/web2"), 1000, 3));
                await(() -> s.channel("production").value().orElseThrow().confirm() == null);
            }
            ChannelPointer after = s.channel("production").value().orElseThrow();
            assertThat(after.version()).isEqualTo(2);
            assertThat(after.confirm()).isNull();
            List<HistoryEntry> h = s.history("production").value();
            assertThat(h.getLast().action()).isEqualTo("confirmed");
            assertThat(h).noneMatch(e -> e.action().equals("auto-rollback"));
            assertThat(h.stream().filter(e -> e.action().equals("confirmed")).count()).isEqualTo(1);
        }
    }

    static void await(BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
