package io.flagman.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EtcdStore against one real etcd member; each test under its own prefix. */
class EtcdStoreTest {

    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.single();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    private static EtcdStore store(String prefix) {
        return EtcdStore.connect(etcd.endpoints(), "/test/" + prefix);
    }

    @Test
    void publishCreatesVersionPointerAndHistoryAndRefusesAStaleRevision() {
        try (EtcdStore s = store("publish")) {
            ChannelPointer first = s.publish("staging", 0, "# _version=9\nglobal\n", "alice", "first").value();
            assertThat(first.version()).isEqualTo(1);
            assertThat(first.previous()).isZero();
            assertThat(first.modRevision()).isPositive();

            ChannelPointer second = s.publish("staging", first.modRevision(), "global\n  maxconn 10\n", "bob", "two")
                    .value();
            assertThat(second.version()).isEqualTo(2);
            assertThat(second.previous()).isEqualTo(1);

            StoreResult<ChannelPointer> stale = s.publish("staging", first.modRevision(), "global\n", "eve", "x");
            assertThat(stale).isInstanceOfSatisfying(StoreResult.Conflict.class, c -> {
                assertThat(c.current().version()).isEqualTo(2);
                assertThat(c.message()).contains("points to version 2");
            });
            assertThat(s.versions().value()).extracting(VersionInfo::number).containsExactly(1L, 2L);

            ConfigVersion v1 = s.version(1).value().orElseThrow();
            assertThat(v1.text()).isEqualTo("global\n");
            assertThat(v1.info().checksum()).isEqualTo(Blobs.checksum("# _version=1\nglobal\n"));
            assertThat(v1.info().author()).isEqualTo("alice");
            assertThat(s.version(3).value()).isEmpty();
            assertThat(s.channel("staging").value().orElseThrow().version()).isEqualTo(2);
            assertThat(s.channel("production").value()).isEmpty();
            assertThat(s.history("staging").value()).extracting(HistoryEntry::action, HistoryEntry::to)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("publish", 1L),
                            org.assertj.core.groups.Tuple.tuple("publish", 2L));
        }
    }

    @Test
    void moveIsACompareAndSetWithItsHistoryEntry() {
        try (EtcdStore s = store("move")) {
            s.publish("staging", 0, "global\n", "a", "m");
            Instant now = Instant.now();
            ChannelPointer prod = s.move(new ChannelPointer("production", 1, 0, null, null, now, "a", 0), 0,
                    new HistoryEntry(now, "production", 0, 1, "promote", "a", null, false)).value();
            StoreResult<ChannelPointer> again = s.move(new ChannelPointer("production", 1, 0, null, null, now, "b",
                    0), 0, new HistoryEntry(now, "production", 0, 1, "promote", "b", null, false));
            assertThat(again).isInstanceOf(StoreResult.Conflict.class);
            assertThat(((StoreResult.Conflict<ChannelPointer>) again).current().modRevision())
                    .isEqualTo(prod.modRevision());
            assertThat(s.history("production").value()).hasSize(1);
            assertThat(s.channels().value()).extracting(ChannelPointer::channel)
                    .containsExactly("production", "staging");
        }
    }

    @Test
    void textLargerThanOneChunkRoundTripsThroughSeveralChunks() {
        try (EtcdStore s = EtcdStore.connect(etcd.endpoints(), "/test/chunks", Duration.ofSeconds(2), 1000,
                Duration.ofSeconds(10))) {
            StringBuilder text = new StringBuilder("global\n");
            java.util.Random r = new java.util.Random(7);
            for (int i = 0; i < 500; i++) {
                text.append("backend b").append(Long.toHexString(r.nextLong())).append("\n");
            }
            ChannelPointer p = s.publish("staging", 0, text.toString(), "a", "big").value();
            VersionInfo info = s.versionInfo(p.version()).value().orElseThrow();
            assertThat(info.chunks()).isGreaterThan(3);
            assertThat(s.version(p.version()).value().orElseThrow().text()).isEqualTo(text.toString());
        }
    }

    @Test
    void nodeReportLivesUnderALeaseAndStaysSeenAfterLeaving() {
        try (EtcdStore s = store("nodes")) {
            NodeStatus st = new NodeStatus("prod-1", "production", 3, "abc", "ok", null, Health.none(), "dev",
                    Instant.now(), Instant.now(), "127.0.0.1:5555");
            long lease = s.report(st).value();
            assertThat(s.report(st).value()).isEqualTo(lease);
            assertThat(s.nodes().value()).containsExactly(st);
            assertThat(s.leave().value()).isTrue();
            assertThat(s.nodes().value()).isEmpty();
            assertThat(s.seen().value()).containsExactly(st);
            long lease2 = s.report(st).value();
            assertThat(lease2).isNotEqualTo(lease);
            assertThat(s.nodes().value()).hasSize(1);
        }
    }

    @Test
    void draftsActionsAndResults() {
        try (EtcdStore s = store("drafts")) {
            Draft d = new Draft("prod-1", Instant.ofEpochMilli(1000), 4, "global\n", "--- a\n+++ b\n");
            s.putDraft(d).value();
            assertThat(s.drafts("prod-1").value()).containsExactly(d);
            assertThat(s.drafts(null).value()).containsExactly(d);
            FleetAction a = new FleetAction("a1", "set-server", List.of("web/s1", "drain"), "ops", Instant.now());
            java.util.concurrent.BlockingQueue<FleetAction> got = new java.util.concurrent.LinkedBlockingQueue<>();
            try (StoreWatch w = s.watchActions("production", s.revision().value(), got::add)) {
                s.putAction("production", a).value();
                assertThat(poll(got)).isEqualTo(a);
            }
            s.putResult("a1", new ActionResult("prod-1", true, "done")).value();
            assertThat(s.results("a1").value()).containsExactly(new ActionResult("prod-1", true, "done"));
        }
    }

    @Test
    void watchDeliversTheCurrentPointerThenEveryMove() {
        try (EtcdStore s = store("watch")) {
            ChannelPointer p1 = s.publish("staging", 0, "global\n", "a", "1").value();
            java.util.concurrent.BlockingQueue<Long> got = new java.util.concurrent.LinkedBlockingQueue<>();
            try (StoreWatch w = s.watchChannel("staging", 0, (p, rev) -> got.add(p.version()))) {
                assertThat(poll(got)).isEqualTo(1L);
                s.publish("staging", p1.modRevision(), "global\n  maxconn 5\n", "a", "2").value();
                assertThat(poll(got)).isEqualTo(2L);
            }
        }
    }

    static <T> T poll(java.util.concurrent.BlockingQueue<T> q) {
        try {
            T t = q.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(t).as("delivered within 10 s").isNotNull();
            return t;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

}
