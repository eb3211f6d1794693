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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet commands as an operator runs them: the packaged program as a process, against a real etcd. */
class FleetCommandsIT {

    record Run(int exit, String out, String err, Duration took) {}

    @TempDir
    Path dir;

    /** {@code java -jar flagman.jar ARGS} with {@code FLAGMAN_CLUSTER} set to {@code cluster}. */
    private Run flagman(String cluster, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(java, "--sun-misc-unsafe-memory-access=allow", "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("FLAGMAN_CLUSTER", cluster);
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("flagman %s exited", String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), Duration.ofNanos(System.nanoTime() - t0));
    }

    private static NodeStatus status(String node, String channel, long version, String text, String state,
            String error) {
        return new NodeStatus(node, channel, version, Blobs.checksum(text), state, error, Health.none(), "dev",
                Instant.now(), Instant.now(), null);
    }

    @Test
    void promoteRefusedThenForcedThenHistoryDiffFleetAndRollbackThroughThePackagedProgram() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.single();
                EtcdStore store = etcd.store("/flagman/default")) {
            String cluster = etcd.endpointList();
            ChannelPointer v1 = store.publish("staging", 0, "global\n  maxconn 1\n", "alice", "one").value();
            ChannelPointer v2 = store.publish("staging", v1.modRevision(), "global\n  maxconn 2\n", "alice", "two")
                    .value();
            store.report(status("staging-1", "staging", 2, "global\n  maxconn 2\n", "ok", null)).value();
            store.report(status("staging-2", "staging", 1, "global\n  maxconn 1\n", "error",
                    "version 2: bind 127.0.0.1:8443: address in use")).value();

            Run refused = flagman(cluster, "promote", "--from", "staging", "--to", "production", "--as", "dave");
            assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
            assertThat(refused.err()).contains("flagman promote: refused: node staging-2 has not applied version 2"
                    + " (it runs 1, state error, error: version 2: bind 127.0.0.1:8443: address in use);"
                    + " use --force to promote anyway");
            assertThat(store.channel("production").value()).isEmpty();

            Run forced = flagman(cluster, "promote", "--from", "staging", "--to", "production", "--force",
                    "--as", "dave", "--json");
            assertThat(forced.exit()).as(forced.err()).isZero();
            JsonNode f = ClusterJson.mapper().readTree(forced.out());
            assertThat(f.at("/pointer/version").asLong()).isEqualTo(v2.version());
            assertThat(f.at("/entry/forced").asBoolean()).isTrue();

            Run history = flagman(cluster, "history", "--channel", "production", "--json");
            assertThat(history.exit()).as(history.err()).isZero();
            JsonNode h = ClusterJson.mapper().readTree(history.out());
            assertThat(h).hasSize(1);
            assertThat(h.get(0).get("reason").asText()).startsWith("forced: node staging-2");

            Run diff = flagman(cluster, "diff", "1", "2");
            assertThat(diff.out()).isEqualTo("--- version 1\n+++ version 2\n@@ -1,2 +1,2 @@\n global\n"
                    + "-  maxconn 1\n+  maxconn 2\n");

            store.report(status("prod-1", "production", 2, "global\n  maxconn 2\n", "ok", null)).value();
            Run fleet = flagman(cluster, "fleet");
            assertThat(fleet.exit()).as(fleet.err()).isZero();
            assertThat(fleet.out()).contains("channel production: version 2", "channel staging: version 2")
                    .containsPattern("prod-1 +production +2 +0 +no +ok")
                    .containsPattern("staging-2 +staging +1 +1 +no +error .*address in use");

            Run back = flagman(cluster, "rollback", "--channel", "production", "--to", "1", "--as", "erin");
            assertThat(back.exit()).as(back.err()).isZero();
            assertThat(back.out()).isEqualTo("rolled back production to version 1 (was 2)\n");
            assertThat(store.history("production").value()).extracting(e -> e.action() + " by " + e.by())
                    .containsExactly("promote by dave", "rollback by erin");

            etcd.stopAll();
            Run down = flagman(cluster, "history");
            assertThat(down.exit()).isEqualTo(1);
            assertThat(down.err()).contains("flagman history: etcd unavailable at " + cluster);
            assertThat(down.took()).as("answers without hanging").isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void noClusterGivenIsAUsageError() throws Exception {
        Run r = flagman("", "fleet");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no etcd given: use --cluster http://HOST:2379[,…] or set FLAGMAN_CLUSTER");
    }
}
