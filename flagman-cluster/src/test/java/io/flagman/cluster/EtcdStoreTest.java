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
        return etcd.store("/test/" + prefix);
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
        try (EtcdStore s = EtcdProcess.awaitReady(EtcdStore.connect(etcd.endpoints(), "/test/chunks",
                Duration.ofSeconds(2), 1000, Duration.ofSeconds(10)))) {
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

    @Test
    void theLeaseIsKeptAliveWhileTheStoreLivesAndExpiresWhenItStops() {
        NodeStatus st = new NodeStatus("prod-9", "production", 1, "abc", "ok", null, Health.none(), "dev",
                Instant.now(), Instant.now(), null);
        try (EtcdStore admin = store("expiry")) {
            EtcdStore s = EtcdProcess.awaitReady(EtcdStore.connect(etcd.endpoints(), "/test/expiry",
                    Duration.ofSeconds(2), Blobs.CHUNK_SIZE, Duration.ofSeconds(2)));
            long lease = s.report(st).value();
            long granted = System.nanoTime();
            // kept alive: for three times its TTL after the only report, the node is still there
            awaitTrue(() -> {
                assertThat(admin.nodes().value()).as("node key while its lease is kept alive").containsExactly(st);
                // etcd reports the remaining TTL in whole seconds: 0 just before a keepalive lands, -1 once expired
                assertThat(ttl(admin, lease)).as("remaining TTL of the node's lease").isNotNegative();
                return System.nanoTime() - granted > Duration.ofSeconds(6).toNanos();
            }, "three lease TTLs");
            s.close(); // no keepalives any more, no leave(): the node just stops
            awaitTrue(() -> admin.nodes().value().isEmpty(), "the lease to expire");
            assertThat(admin.seen().value()).containsExactly(st);
            assertThat(new Fleet(admin).fleetView().value().nodes()).extracting(NodeView::node, NodeView::state,
                    NodeView::gone).containsExactly(org.assertj.core.groups.Tuple.tuple("prod-9", "gone", true));
        }
    }

    private static long ttl(EtcdStore admin, long lease) {
        return admin.client().getLeaseClient().timeToLive(lease, io.etcd.jetcd.options.LeaseOption.DEFAULT).join()
                .getTTL();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 15 s for " + what).isLessThan(end);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000); // poll interval of a bounded wait
        }
    }

    @Test
    void aRevokedLeaseIsGrantedAgainOnTheNextReport() {
        try (EtcdStore s = store("regrant"); EtcdStore admin = store("regrant")) {
            NodeStatus st = new NodeStatus("prod-1", "production", 1, "abc", "ok", null, Health.none(), "dev",
                    Instant.now(), Instant.now(), null);
            long lease = s.report(st).value();
            admin.client().getLeaseClient().revoke(lease).join();
            assertThat(admin.nodes().value()).isEmpty();
            long again = s.report(st).value();
            assertThat(again).isNotEqualTo(lease);
            assertThat(admin.nodes().value()).containsExactly(st);
        }
    }

    @Test
    void aWatchFromACompactedRevisionReadsTheCurrentPointerAndGoesOn() {
        try (EtcdStore s = store("compacted")) {
            ChannelPointer p = s.publish("staging", 0, "global\n", "a", "1").value();
            p = s.publish("staging", p.modRevision(), "global\n  maxconn 2\n", "a", "2").value();
            p = s.publish("staging", p.modRevision(), "global\n  maxconn 3\n", "a", "3").value();
            s.client().getKVClient().compact(p.modRevision()).join();
            java.util.concurrent.BlockingQueue<Long> got = new java.util.concurrent.LinkedBlockingQueue<>();
            try (StoreWatch w = s.watchChannel("staging", 1, (ptr, rev) -> got.add(ptr.version()))) {
                assertThat(poll(got)).isEqualTo(3L);
                s.publish("staging", p.modRevision(), "global\n  maxconn 4\n", "a", "4").value();
                assertThat(poll(got)).isEqualTo(4L);
                assertThat(got).isEmpty();
            }
        }
    }

    @Test
    void aTenThousandBackendConfigurationFitsInChunksAndRoundTripsByteForByte() {
        java.util.Random r = new java.util.Random(42);
        StringBuilder text = new StringBuilder("global\n  maxconn 50000\n\ndefaults\n  mode http\n"
                + "  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\n\n");
        for (int b = 0; b < 10_000; b++) {
            text.append("backend be_").append(b).append('_').append(Long.toString(r.nextLong() & Long.MAX_VALUE, 36))
                    .append("\n  balance roundrobin\n");
            for (int i = 0; i < 6; i++) {
                text.append("  server s").append(i).append('_').append(Long.toString(r.nextLong() & Long.MAX_VALUE, 36))
                        .append(' ').append("10.").append(r.nextInt(256)).append('.').append(r.nextInt(256))
                        .append('.').append(r.nextInt(256)).append(':').append(1024 + r.nextInt(60000))
                        .append(" check weight ").append(1 + r.nextInt(255)).append('\n');
            }
            text.append('\n');
        }
        String config = text.toString();
        byte[] gz = Blobs.gzip(config.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(gz.length).as("compressed size").isGreaterThan(Blobs.CHUNK_SIZE);
        try (EtcdStore s = store("big")) {
            ChannelPointer p = s.publish("staging", 0, config, "a", "10k backends").value();
            VersionInfo info = s.versionInfo(p.version()).value().orElseThrow();
            assertThat(info.chunks()).isEqualTo((gz.length + Blobs.CHUNK_SIZE - 1) / Blobs.CHUNK_SIZE)
                    .isGreaterThanOrEqualTo(2);
            assertThat(info.size()).isEqualTo(config.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            assertThat(s.version(p.version()).value().orElseThrow().text()).isEqualTo(config);
        }
    }

    @Test
    void damagedTextIsReportedNotReturned() {
        try (EtcdStore s = store("damaged")) {
            ChannelPointer p = s.publish("staging", 0, "global\n", "a", "1").value();
            VersionInfo info = s.versionInfo(p.version()).value().orElseThrow();
            String chunk = s.prefix() + "/blobs/" + info.checksum() + "/000000";
            s.client().getKVClient().put(io.etcd.jetcd.ByteSequence.from(chunk, java.nio.charset.StandardCharsets.UTF_8),
                    io.etcd.jetcd.ByteSequence.from(Blobs.gzip("global\n  maxconn 6\n".getBytes()))).join();
            StoreResult<?> r = s.version(p.version());
            assertThat(r).isInstanceOf(StoreResult.Unavailable.class);
            assertThat(r.message()).startsWith("version 1 is damaged in etcd: checksum ");
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
