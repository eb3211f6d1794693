package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.cluster.Blobs;
import io.flagman.cluster.ChannelPointer;
import io.flagman.cluster.EtcdProcess;
import io.flagman.cluster.EtcdStore;
import io.flagman.cluster.Health;
import io.flagman.cluster.NodeStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flagman test --version N} and {@code flagman promote --require-test FILE} in-process against a real etcd:
 * the routing test runs on the stored version's text, a failing test refuses the promotion (nothing moves), a
 * passing one promotes exactly the version tested.
 */
@Timeout(60)
class RequireTestCliTest {
    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.single();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    private Run flagman(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        int at = all.get(0).equals("fleet") ? 2 : 1;
        all.addAll(at, List.of("--cluster", etcd.endpointList(), "--cluster-prefix", "/require-test"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    private static final String V1 = """
            defaults
              mode http
            frontend http-in
              bind 127.0.0.1:18081
              acl api hdr(host) -i api.example.com
              use_backend api if api
              default_backend web
            backend api
              server a 127.0.0.1:9
            backend web
              server w 127.0.0.1:9
            """;

    @Test
    void aFailingRoutingTestRefusesThePromotionAndAPassingOnePromotesTheVersionTested() throws Exception {
        try (EtcdStore store = etcd.store("/require-test")) {
            ChannelPointer prod = store.publish("production", 0, V1, "alice", "v1").value();
            ChannelPointer s1 = store.publish("staging", 0, V1, "alice", "v1 on staging").value();
            // version 3 on staging: the api route is gone
            String v3 = V1.replace("  use_backend api if api\n", "");
            ChannelPointer s3 = store.publish("staging", s1.modRevision(), v3, "bob", "drop the api route").value();
            store.report(new NodeStatus("stage-1", "staging", s3.version(), Blobs.checksum(v3), NodeStatus.OK, null,
                    Health.none(), "dev", Instant.now(), Instant.now(), null)).value();

            Path reqs = dir.resolve("routes.txt");
            Files.writeString(reqs, """
                    GET http://api.example.com/v1 frontend http-in expect api
                    GET http://www.example.com/ frontend http-in expect web
                    """);
            Run onV1 = flagman("test", "--version", "1", reqs.toString());
            assertThat(onV1.exit()).as(onV1.toString()).isZero();
            assertThat(onV1.out()).contains("backend api (use_backend at version 1:6)")
                    .contains("backend web (default_backend at version 1:7)").contains("2 requests, 0 failed");

            Run refused = flagman("promote", "--from", "staging", "--to", "production", "--require-test",
                    reqs.toString());
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.out()).contains("FAIL: expected backend api, got web");
            assertThat(refused.err()).contains("refused: the routing test " + reqs + " fails against version 3;"
                    + " nothing was promoted");
            assertThat(store.channel("production").value().orElseThrow().version()).isEqualTo(prod.version());

            Files.writeString(reqs, "GET http://www.example.com/ frontend http-in expect web\n");
            Run promoted = flagman("promote", "--from", "staging", "--to", "production", "--require-test",
                    reqs.toString());
            assertThat(promoted.exit()).as(promoted.toString()).isZero();
            assertThat(promoted.out()).contains("1 request, 0 failed")
                    .contains("promoted version 3 from staging to production (was 1)");
            assertThat(store.channel("production").value().orElseThrow().version()).isEqualTo(3);

            assertThat(flagman("test", "--version", "9", reqs.toString()).out())
                    .contains("no version 9 in etcd under /require-test");
            Run both = flagman("test", "--version", "1", "--config", "x.cfg", reqs.toString());
            assertThat(both.exit()).isEqualTo(2);
            assertThat(both.err()).contains("give the configuration to test: --config FILE or --version N");
            Run setServer = flagman("fleet", "set-server", "--channel", "production", "api/a", "state", "drain");
            assertThat(setServer.exit()).isEqualTo(1);
            assertThat(setServer.err()).contains("no live node follows channel 'production'");
        }
    }
}
