package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet example (examples/fleet/) as a user runs it: {@code examples/fleet/up} in a directory laid out like a
 * fresh clone (every port moved to a free one through the FLEET_*_PORT variables), curl through the front load
 * balancer and to each worker, the example's CRUD scripts against the staging API, {@code flagman promote}, and
 * {@code examples/fleet/down} at the end whatever happened.
 *
 * <p>A route added on staging is served through the front for the staging host name and not for the production
 * one; once promoted, both production workers serve it, each one asked directly and through the front.
 */
class FleetExampleIT {

    private static final List<String> PORT_VARS = List.of("FLEET_HTTP_PORT", "FLEET_HTTPS_PORT",
            "FLEET_STAGING_PORT", "FLEET_PROD1_PORT", "FLEET_PROD2_PORT", "FLEET_STAGING_API", "FLEET_PROD1_API",
            "FLEET_PROD2_API", "FLEET_BROAD_PORT", "FLEET_NARROW_PORT", "FLEET_ETCD_PORT", "FLEET_ETCD_PEER_PORT");
    private static final Duration UP = Duration.ofSeconds(240);
    private static final Duration CHANGE = Duration.ofSeconds(20);
    private static final String NARROW_HOSTS = "-i narrow.example.test narrow.staging.example.test";

    record Result(int exit, String output) {}

    private Path clone;
    private Map<String, Integer> ports;

    @Test
    void aRouteAddedOnStagingReachesBothProductionWorkersWhenPromoted(@TempDir Path temp) throws Exception {
        clone = freshClone(temp.resolve("clone"));
        ports = freePorts();
        Throwable failure = null;
        try {
            Result up = sh(UP, "examples/fleet/up");
            assertThat(up.exit()).as("examples/fleet/up:%n%s", up.output()).isZero();
            theFrontTerminatesTlsRedirectsAndPassesTheClientAddress();
            aRouteAddedOnStagingIsServedForTheStagingHostOnly();
            promotedItIsServedByBothProductionWorkers();
        } catch (Throwable t) {
            failure = t;
            throw new AssertionError(t.getMessage() + "\n" + logs(), t);
        } finally {
            Result down = sh(Duration.ofSeconds(90), "examples/fleet/down");
            if (failure == null) {
                assertThat(down.exit()).as("examples/fleet/down:%n%s", down.output()).isZero();
                assertThat(Files.list(clone.resolve("examples/fleet/run/pids")).toList())
                        .as("down leaves no pid file (every process stopped)").isEmpty();
            }
        }
    }

    private void theFrontTerminatesTlsRedirectsAndPassesTheClientAddress() throws Exception {
        Result redirect = sh(Duration.ofSeconds(10), "curl", "-s", "-i", "--connect-to",
                ":80:127.0.0.1:" + ports.get("FLEET_HTTP_PORT"), "http://broad.example.test/a/b?c=1");
        assertThat(redirect.output()).as("HTTP is redirected to HTTPS")
                .startsWith("HTTP/1.1 301").containsIgnoringCase("location: https://broad.example.test/a/b?c=1");

        // Verified against the example's own certificate, from 127.0.0.2: the front connects to the workers from
        // 127.0.0.1, so 127.0.0.2 in X-Forwarded-For can only come from the PROXY header the front sent.
        Result tls = sh(Duration.ofSeconds(10), "curl", "-s", "--cacert",
                clone.resolve("examples/fleet/run/front.crt").toString(), "--interface", "127.0.0.2",
                "--connect-to", ":443:127.0.0.1:" + ports.get("FLEET_HTTPS_PORT"), "https://broad.example.test/");
        assertThat(tls.exit()).as("TLS with the example's certificate: %s", tls.output()).isZero();
        assertThat(tls.output()).startsWith("app=broad")
                .contains("X-Real-IP: 127.0.0.2", "X-Forwarded-For: 127.0.0.2", "X-Forwarded-Proto: https");

        Result noProxyHeader = sh(Duration.ofSeconds(10), "curl", "-s", "-H", "Host: broad.example.test",
                "http://127.0.0.1:" + ports.get("FLEET_PROD1_PORT") + "/");
        assertThat(noProxyHeader.output()).as("a worker closes a connection that has no PROXY header").isEmpty();
        assertThat(viaWorker("FLEET_PROD1_PORT", "broad.example.test")).startsWith("app=broad");
        assertThat(viaFront("narrow.staging.example.test")).as("no route for narrow yet").contains("404 - nothing here");
    }

    private void aRouteAddedOnStagingIsServedForTheStagingHostOnly() throws Exception {
        Result add = sh(Duration.ofSeconds(60), "examples/fleet/scripts/add_backend.sh", "narrow",
                "127.0.0.1:" + ports.get("FLEET_NARROW_PORT"), NARROW_HOSTS);
        assertThat(add.exit()).as("add_backend.sh on staging:%n%s", add.output()).isZero();

        await(CHANGE, "the front serves narrow.staging.example.test from staging",
                () -> viaFront("narrow.staging.example.test"), body -> body.startsWith("app=narrow"));
        assertThat(viaWorker("FLEET_STAGING_PORT", "narrow.example.test")).startsWith("app=narrow");
        for (String node : List.of("FLEET_PROD1_PORT", "FLEET_PROD2_PORT")) {
            assertThat(viaWorker(node, "narrow.example.test")).as("%s before the promotion", node)
                    .contains("404 - nothing here");
        }
        for (int i = 0; i < 2; i++) { // round robin: once through each production worker
            assertThat(viaFront("narrow.example.test")).as("the production host name before the promotion")
                    .contains("404 - nothing here");
        }

        Result refused = sh(Duration.ofSeconds(30), List.of("env",
                "API_URL=http://127.0.0.1:" + ports.get("FLEET_PROD1_API"), "examples/fleet/scripts/add_backend.sh",
                "other", "127.0.0.1:" + ports.get("FLEET_NARROW_PORT"), "-i other.example.test"));
        assertThat(refused.exit()).as("a write on a production node is refused:%n%s", refused.output()).isNotZero();
        assertThat(refused.output()).contains("HTTP 409", "flagman promote --from staging --to production");
    }

    private void promotedItIsServedByBothProductionWorkers() throws Exception {
        Result promote = sh(Duration.ofSeconds(60), "bin/flagman", "promote", "--cluster", etcd(),
                "--from", "staging", "--to", "production");
        assertThat(promote.exit()).as("flagman promote:%n%s", promote.output()).isZero();

        for (String node : List.of("FLEET_PROD1_PORT", "FLEET_PROD2_PORT")) {
            await(CHANGE, node + " serves narrow.example.test",
                    () -> viaWorker(node, "narrow.example.test"), body -> body.startsWith("app=narrow"));
        }
        Set<String> answered = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            Result r = sh(Duration.ofSeconds(10), front("-i", "https://narrow.example.test/"));
            assertThat(r.output()).as("through the front after the promotion").contains("app=narrow");
            r.output().lines().filter(l -> l.toLowerCase().startsWith("x-flagman-node:"))
                    .forEach(l -> answered.add(l.substring(l.indexOf(':') + 1).strip()));
        }
        assertThat(answered).as("the front balanced over both production workers").containsExactly("prod-1", "prod-2");
        assertThat(viaFront("broad.example.test")).as("the routes already there still serve").startsWith("app=broad");

        Result view = sh(Duration.ofSeconds(30), "bin/flagman", "fleet", "--cluster", etcd());
        assertThat(view.exit()).as("flagman fleet:%n%s", view.output()).isZero();
        assertThat(view.output()).contains("staging-1", "prod-1", "prod-2");
    }

    /** The body the front answers for https://HOST/ (its own certificate, not verified: curl -k). */
    private String viaFront(String host) throws IOException, InterruptedException {
        return sh(Duration.ofSeconds(10), front("https://" + host + "/")).output();
    }

    private List<String> front(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sk", "--max-time", "5", "--connect-to",
                ":443:127.0.0.1:" + ports.get("FLEET_HTTPS_PORT")));
        command.addAll(List.of(args));
        return command;
    }

    /** The body a worker answers, asked directly with a PROXY header (curl --haproxy-protocol). */
    private String viaWorker(String portVar, String host) throws IOException, InterruptedException {
        return sh(Duration.ofSeconds(10), "curl", "-s", "--max-time", "5", "--haproxy-protocol", "-H", "Host: " + host,
                "http://127.0.0.1:" + ports.get(portVar) + "/").output();
    }

    private String etcd() {
        return "http://127.0.0.1:" + ports.get("FLEET_ETCD_PORT");
    }

    interface Probe {
        String get() throws IOException, InterruptedException;
    }

    /** Repeats {@code probe} until its answer satisfies {@code done}; fails with the last answer at the deadline. */
    private static void await(Duration within, String what, Probe probe, Predicate<String> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String last = probe.get();
        while (!done.test(last)) {
            assertThat(System.nanoTime() < deadline).as("waited %s for %s; last answer:%n%s", within, what, last)
                    .isTrue();
            Thread.sleep(50); // polling interval of a bounded wait, not a synchronisation
            last = probe.get();
        }
    }

    private Result sh(Duration within, String... command) throws IOException, InterruptedException {
        return sh(within, List.of(command));
    }

    /** Runs COMMAND in the clone with the fleet's ports in its environment; output is stdout and stderr. */
    private Result sh(Duration within, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(clone.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        Stream.of("API_URL", "API_USER", "API_PASS", "FLAGMAN_CLUSTER").forEach(env::remove);
        ports.forEach((k, v) -> env.put(k, Integer.toString(v)));
        Path out = Files.createTempFile(clone, "out", ".log");
        Process p = pb.redirectOutput(out.toFile()).start();
        p.getOutputStream().close();
        boolean finished = p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        assertThat(finished).as("%s finished within %s; output:%n%s", command, within, output).isTrue();
        return new Result(p.exitValue(), output);
    }

    /** Every process's log under run/logs, for a failure message. */
    private String logs() {
        Path dir = clone.resolve("examples/fleet/run/logs");
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                sb.append("--- run/logs/").append(f.getFileName()).append(" (last 40 lines)\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        } catch (IOException e) {
            sb.append("(logs unreadable: ").append(e).append(")\n");
        }
        return sb.toString();
    }

    /** Distinct loopback ports that were free a moment ago (all held open together while probing). */
    private static Map<String, Integer> freePorts() throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String var : PORT_VARS) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports.put(var, s.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    /**
     * A directory laid out like a fresh clone, as far as the example needs: the launcher, the example (without a
     * run/ directory left by someone's earlier start) and the packaged jar where the launcher looks for it.
     */
    private static Path freshClone(Path clone) throws IOException {
        Path root = Path.of(System.getProperty("flagman.root", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        copyTree(root.resolve("bin"), clone.resolve("bin"));
        Path example = root.resolve("examples/fleet");
        copyTree(example, clone.resolve("examples/fleet"));
        Path target = Files.createDirectories(clone.resolve("flagman-app/target"));
        Files.copy(jar, target.resolve("flagman.jar"));
        return clone;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path rel = from.relativize(p);
                if (!rel.toString().isEmpty() && rel.getName(0).toString().equals("run")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
