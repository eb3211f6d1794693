package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flagman.cluster.Blobs;
import io.flagman.cluster.ChannelPointer;
import io.flagman.cluster.ClusterJson;
import io.flagman.cluster.EtcdProcess;
import io.flagman.cluster.EtcdStore;
import io.flagman.cluster.Health;
import io.flagman.cluster.NodeStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fleet commands in-process (picocli through Main) against a real etcd; node reports written directly. */
class FleetCliTest {

    record Run(int exit, String out, String err) {}

    private static final AtomicInteger N = new AtomicInteger();
    private static EtcdProcess etcd;
    private final List<EtcdStore> stores = new ArrayList<>();
    private String prefix;
    private EtcdStore store;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.single();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @BeforeEach
    void newPrefix() {
        prefix = "/cli-test/" + N.incrementAndGet();
        store = etcd.store(prefix);
        stores.add(store);
    }

    @AfterEach
    void closeStores() {
        stores.forEach(EtcdStore::close);
    }

    private Run flagman(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--cluster")) {
            all.addAll(List.of("--cluster", etcd.endpointList(), "--cluster-prefix", prefix));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private ChannelPointer publish(String channel, String text) {
        long rev = store.channel(channel).value().map(ChannelPointer::modRevision).orElse(0L);
        return store.publish(channel, rev, text, "alice", "change").value();
    }

    private void report(String node, String channel, long version, String text, String state, String error) {
        store.report(new NodeStatus(node, channel, version, text == null ? null : Blobs.checksum(text), state, error,
                new Health(2, 0, List.of(), 10, 0), "dev", Instant.now(), Instant.now(), null)).value();
    }

    @Test
    void promoteIsRefusedWithTheNodeAndItsErrorThenForcedAndTheHistorySaysSo() {
        publish("staging", "global\n");
        publish("staging", "global\n  maxconn 7\n");
        report("staging-1", "staging", 2, "global\n  maxconn 7\n", "ok", null);
        report("staging-2", "staging", 1, "global\n", "error", "cannot bind :80: port taken");

        Run refused = flagman("promote", "--from", "staging", "--to", "production", "--as", "carol");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).isEqualTo("flagman promote: refused: node staging-2 has not applied version 2"
                + " (it runs 1, state error, error: cannot bind :80: port taken); use --force to promote anyway\n");

        Run forced = flagman("promote", "--from", "staging", "--to", "production", "--force", "--as", "carol");
        assertThat(forced.exit()).isZero();
        assertThat(forced.out()).isEqualTo("promoted version 2 from staging to production — forced\n");

        Run history = flagman("history", "--channel", "production", "--json");
        assertThat(history.exit()).isZero();
        JsonNode h = read(history.out());
        assertThat(h).hasSize(1);
        assertThat(h.get(0).get("forced").asBoolean()).isTrue();
        assertThat(h.get(0).get("by").asText()).isEqualTo("carol");
        assertThat(h.get(0).get("reason").asText()).startsWith("forced: node staging-2 has not applied version 2");

        Run text = flagman("history");
        assertThat(text.out()).contains("staging", "publish", "production", "promote!", "carol");
    }

    @Test
    void canaryThenContinueThenRollback() {
        publish("staging", "global\n");
        report("staging-1", "staging", 1, "global\n", "ok", null);
        assertThat(flagman("promote", "--from", "staging", "--to", "production").exit()).isZero();
        report("prod-1", "production", 1, "global\n", "ok", null);
        report("prod-2", "production", 1, "global\n", "ok", null);
        publish("staging", "global\n  maxconn 9\n");
        report("staging-1", "staging", 2, "global\n  maxconn 9\n", "ok", null);

        Run canary = flagman("promote", "--from", "staging", "--to", "production", "--canary", "1", "--json");
        assertThat(canary.exit()).isZero();
        JsonNode c = read(canary.out());
        assertThat(c.at("/pointer/canary/nodes/0").asText()).isEqualTo("prod-1");
        assertThat(c.at("/pointer/version").asLong()).isEqualTo(1);

        Run cont = flagman("promote", "--to", "production", "--continue");
        assertThat(cont.exit()).isZero();
        assertThat(cont.out()).isEqualTo("continued: every node of production moves to version 2 (was 1)\n");
        assertThat(store.channel("production").value().orElseThrow().version()).isEqualTo(2);

        Run back = flagman("rollback", "--channel", "production", "--to", "1");
        assertThat(back.exit()).isZero();
        assertThat(back.out()).isEqualTo("rolled back production to version 1 (was 2)\n");
        assertThat(flagman("rollback", "--channel", "production", "--to", "42").err())
                .startsWith("flagman rollback: no version 42 in etcd under " + prefix);
        assertThat(store.history("production").value()).extracting(e -> e.action())
                .containsExactly("promote", "canary", "continue", "rollback");
    }

    @Test
    void diffPrintsTheUnifiedDiff() {
        publish("staging", "global\n  maxconn 1\n");
        publish("staging", "global\n  maxconn 2\n");
        Run d = flagman("diff", "1", "2");
        assertThat(d.exit()).isZero();
        assertThat(d.out()).isEqualTo("--- version 1\n+++ version 2\n@@ -1,2 +1,2 @@\n global\n-  maxconn 1\n"
                + "+  maxconn 2\n");
        assertThat(flagman("diff", "1", "3").exit()).isEqualTo(1);
    }

    @Test
    void fleetListsEveryNodeWithLagAndGoneNodes() {
        publish("production", "global\n");
        publish("production", "global\n  maxconn 2\n");
        report("prod-1", "production", 1, "global\n", "applying", null);
        report("prod-2", "production", 2, "global\n  maxconn 2\n", "ok", null);
        try (EtcdStore other = etcd.store(prefix)) {
            other.report(new NodeStatus("prod-3", "production", 2, Blobs.checksum("global\n  maxconn 2\n"), "error",
                    "bind failed", Health.none(), "dev", Instant.now(), Instant.now(), null)).value();
            other.leave().value();
        }
        Run f = flagman("fleet");
        assertThat(f.exit()).isZero();
        assertThat(f.out()).contains("channel production: version 2");
        assertThat(f.out()).containsPattern("prod-1 +production +1 +1 +no +applying +2 up, 0 down");
        assertThat(f.out()).containsPattern("prod-2 +production +2 +0 +no +ok ");
        assertThat(f.out()).containsPattern("prod-3 +production +2 +0 +no +gone .* bind failed");
        JsonNode j = read(flagman("fleet", "--json").out());
        assertThat(j.at("/nodes/2/gone").asBoolean()).isTrue();
        assertThat(j.at("/nodes/0/lag").asLong()).isEqualTo(1);
    }

    @Test
    void setServerIsDeliveredToEveryLiveNodeOfTheChannelAndTheirAnswersPrinted() {
        report("prod-1", "production", 1, "global\n", "ok", null);
        report("prod-2", "production", 1, "global\n", "ok", null);
        report("staging-1", "staging", 1, "global\n", "ok", null);
        // The nodes' side of an action, as a node agent does it: watch the channel's actions, answer each.
        java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        long from = store.revision().value();
        try (var w = store.watchActions("production", from, a -> {
            received.add(a.command());
            store.putResult(a.id(), new io.flagman.cluster.ActionResult("prod-1", true, "")).value();
            store.putResult(a.id(), new io.flagman.cluster.ActionResult("prod-2", true, "")).value();
        })) {
            Run r = flagman("fleet", "set-server", "--channel", "production", "web/s1", "state", "drain");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("'set server web/s1 state drain' on 2 nodes of production: prod-1: ok;"
                    + " prod-2: ok\n");
            assertThat(received).containsExactly("set server web/s1 state drain");
        }
        Run silent = flagman("fleet", "set-server", "--channel", "production", "--wait", "500ms", "web/s1", "state",
                "ready");
        assertThat(silent.exit()).isEqualTo(1);
        assertThat(silent.err()).isEqualTo("flagman fleet set-server: 'set server web/s1 state ready' on channel"
                + " 'production': no answer within 500ms from prod-1, prod-2\n");
        Run bad = flagman("fleet", "set-server", "--channel", "production", "web/s1", "state", "up");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("state up: use ready, drain or maint");
    }

    @Test
    void usageMistakesAndUnreachableEtcd() {
        Run none = flagman("promote", "--cluster", "", "--from", "staging", "--to", "production");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no etcd given: use --cluster http://HOST:2379[,…] or set FLAGMAN_CLUSTER");
        Run test = flagman("promote", "--from", "staging", "--to", "production", "--require-test", "r.txt");
        assertThat(test.exit()).isEqualTo(1);
        assertThat(test.err()).contains("refused: cannot read the routing test r.txt");
        Run conf = flagman("promote", "--from", "staging", "--to", "production", "--confirm", "soon");
        assertThat(conf.exit()).isEqualTo(2);
        assertThat(conf.err()).contains("--confirm soon: not a duration");
        assertThat(flagman("promote", "--to", "production").err()).contains("missing --from CHANNEL");

        Run down = flagman("fleet", "--cluster", "http://127.0.0.1:1", "--cluster-prefix", prefix);
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).startsWith("flagman fleet: etcd unavailable at http://127.0.0.1:1")
                .contains("is etcd running there?");
    }

    private static JsonNode read(String json) {
        try {
            return ClusterJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(json, e);
        }
    }
}
