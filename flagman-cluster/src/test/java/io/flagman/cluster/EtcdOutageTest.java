package io.flagman.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/** The store when etcd goes away: bounded answers, and watches that come back by themselves. */
class EtcdOutageTest {

    @Test
    void etcdStoppedAnswersUnavailableWithinTheDeadlineAndTheWatchResumesAfterARestart() {
        try (EtcdProcess etcd = EtcdProcess.single();
                // the default 2 s deadline: this test is about it
                EtcdStore store = EtcdProcess.awaitReady(EtcdStore.connect(etcd.endpoints(), "/outage"))) {
            ChannelPointer p1 = store.publish("staging", 0, "global\n", "a", "1").value();
            BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
            try (StoreWatch w = store.watchChannel("staging", 0, (p, rev) -> seen.add(p.version()))) {
                assertThat(EtcdStoreTest.poll(seen)).isEqualTo(1L);

                etcd.stopAll();
                long t0 = System.nanoTime();
                StoreResult<?> down = store.channel("staging");
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(down).isInstanceOf(StoreResult.Unavailable.class);
                assertThat(down.message()).contains("etcd unavailable at " + etcd.endpoint(0));
                assertThat(took).isLessThan(store.deadline().plusSeconds(1));
                assertThat(store.publish("staging", p1.modRevision(), "global\n  maxconn 1\n", "a", "2"))
                        .isInstanceOf(StoreResult.Unavailable.class);

                etcd.startAll();
                try (EtcdStore other = etcd.store("/outage")) {
                    ChannelPointer p2 = other.publish("staging", p1.modRevision(), "global\n  maxconn 2\n", "b",
                            "made while the watcher was cut off").value();
                    assertThat(p2.version()).isEqualTo(2);
                }
                assertThat(EtcdStoreTest.poll(seen)).isEqualTo(2L);
                assertThat(store.channel("staging").value().orElseThrow().version()).isEqualTo(2);
            }
        }
    }

    @Test
    void aThreeMemberClusterKeepsWorkingWithOneMemberDown() {
        try (EtcdProcess etcd = EtcdProcess.cluster(3);
                EtcdStore store = etcd.store("/three")) {
            ChannelPointer p1 = store.publish("staging", 0, "global\n", "a", "1").value();
            BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
            try (StoreWatch w = store.watchChannel("staging", 0, (p, rev) -> seen.add(p.version()))) {
                assertThat(EtcdStoreTest.poll(seen)).isEqualTo(1L);
                for (int down = 0; down < 3; down++) {
                    etcd.stop(down);
                    ChannelPointer before = store.channel("staging").value().orElseThrow();
                    ChannelPointer next = store.publish("staging", before.modRevision(),
                            "global\n  maxconn " + down + "\n", "a", "member " + down + " down").value();
                    assertThat(EtcdStoreTest.poll(seen)).isEqualTo(next.version());
                    assertThat(store.version(next.version()).value().orElseThrow().text())
                            .isEqualTo("global\n  maxconn " + down + "\n");
                    store.report(new NodeStatus("staging-1", "staging", next.version(),
                            Blobs.checksum("global\n  maxconn " + down + "\n"), "ok", null, Health.none(), "dev",
                            java.time.Instant.now(), java.time.Instant.now(), null)).value();
                    FleetResult<PromoteOutcome> promoted = new Fleet(store)
                            .promote(PromoteRequest.of("staging", "production", "ops"));
                    assertThat(promoted.message()).startsWith("promoted version " + next.version());
                    etcd.start(down);
                }
            }
        }
    }
}
