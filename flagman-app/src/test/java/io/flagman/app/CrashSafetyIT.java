package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the packaged program with SIGKILL at random moments while a client streams API writes, restarts it,
 * and checks every time that the file parses, that its version is the last acknowledged one or the one after
 * it, and that no acknowledged change is lost. Bounded: a fixed number of rounds, each a few hundred ms.
 */
@Timeout(240)
class CrashSafetyIT {

    private static final int ROUNDS = 12;

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedChangeIsLostWhenTheProcessIsKilled() throws Exception {
        Path cfg = dir.resolve("haproxy.cfg");
        int web = RuntimeAdminStateTest.freePort();
        // Every backend in the file after a run was added through the API. Stamped version 1, as the API reports a
        // file without a stamp: a round whose first write is killed before it lands then still finds version 1.
        Files.writeString(cfg, "# _version=1\n"
                + Api.config(web, "http-request return status 200 content-type text/plain string ok", ""));
        Random random = new Random(42);
        List<String> acknowledged = new ArrayList<>();
        long lastAcknowledgedVersion = 0;
        List<Long> startupMillis = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            int apiPort = RuntimeAdminStateTest.freePort();
            long started = System.nanoTime();
            Process process = start(cfg, apiPort);
            try {
                Api api = new Api(new InetSocketAddress("127.0.0.1", apiPort), "admin", "secret");
                awaitApi(api, process);
                startupMillis.add((System.nanoTime() - started) / 1_000_000);
                long version = api.version();
                assertThat(version).as("round %d: version after restart", round)
                        .isBetween(lastAcknowledgedVersion, lastAcknowledgedVersion + 1);
                // Stream writes from another thread; kill the process at a random moment.
                AtomicReference<Long> lastAck = new AtomicReference<>(version);
                List<String> ackedThisRound = new ArrayList<>();
                int r = round;
                Thread writer = Thread.ofPlatform().start(() -> {
                    long v = version;
                    for (int i = 0; i < 1000; i++) {
                        String name = "crash_" + r + "_" + i;
                        try {
                            HttpResponse<String> resp = api.send("POST", Api.CFG + "/backends?version=" + v,
                                    "{\"name\":\"" + name + "\",\"mode\":\"http\"}");
                            if (resp.statusCode() != 202) {
                                return;
                            }
                            v++;
                            synchronized (ackedThisRound) {
                                ackedThisRound.add(name);
                            }
                            lastAck.set(v);
                        } catch (Exception e) {
                            return; // the process died under the request: that write is not acknowledged
                        }
                    }
                });
                Thread.sleep(100 + random.nextInt(400)); // a random kill moment, not a synchronisation
                process.destroyForcibly(); // SIGKILL on Linux
                assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
                writer.join(15_000);
                synchronized (ackedThisRound) {
                    acknowledged.addAll(ackedThisRound);
                }
                lastAcknowledgedVersion = lastAck.get();
            } finally {
                process.destroyForcibly();
            }
            LoadResult onDisk = ConfigLoader.load(cfg);
            assertThat(onDisk.errors()).as("round %d: the file parses", round).isEmpty();
            assertThat(onDisk.config().version()).as("round %d: version on disk", round)
                    .isBetween(lastAcknowledgedVersion, lastAcknowledgedVersion + 1);
            for (String name : acknowledged) {
                assertThat(onDisk.config().backend(name)).as("round %d: acknowledged backend %s", round, name)
                        .isPresent();
            }
        }
        assertThat(acknowledged).as("the test made writes at all").hasSizeGreaterThan(ROUNDS);
        System.out.printf("CrashSafetyIT: %d rounds, %d acknowledged writes, API up after %s ms%n", ROUNDS,
                acknowledged.size(), startupMillis);
    }

    private static Process start(Path cfg, int apiPort) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        return new ProcessBuilder(java, "-jar", jar.toString(), "run", "--config", cfg.toString(), "--api",
                "127.0.0.1:" + apiPort)
                .redirectErrorStream(true)
                .redirectOutput(cfg.resolveSibling("flagman.log").toFile())
                .start();
    }

    private static void awaitApi(Api api, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("flagman exited early").isTrue();
            try {
                if (api.get(Api.CFG + "/version").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20); // polling interval while awaiting a condition with a deadline
        }
        throw new AssertionError("the API did not come up within 20 s");
    }
}
