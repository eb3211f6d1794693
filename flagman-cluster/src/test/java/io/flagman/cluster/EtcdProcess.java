package io.flagman.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Test fixture: a real {@code etcd} (the binary on the PATH or {@code /usr/bin/etcd}, 3.4+) of 1 or 3 members on
 * free loopback ports with a temporary data directory. {@link #stop(int)} and {@link #start(int)} stop and
 * restart one member (its data kept); {@link #close()} stops everything and deletes the data. Every start waits
 * until the members answer {@code /health} (bounded; the log is in the failure message).
 */
public final class EtcdProcess implements AutoCloseable {

    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path root;
    private final List<Member> members = new ArrayList<>();
    private final String token = "flagman-test-" + UUID.randomUUID();
    private final Thread hook = new Thread(this::destroyAll, "etcd-process-cleanup");

    private EtcdProcess(int size) throws IOException {
        root = Files.createTempDirectory("flagman-etcd-");
        for (int i = 0; i < size; i++) {
            members.add(new Member("m" + i, freePort(), freePort(), root.resolve("m" + i)));
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** One etcd member, healthy. */
    public static EtcdProcess single() {
        return cluster(1);
    }

    /** A cluster of {@code size} members (1 or 3), all healthy. */
    public static EtcdProcess cluster(int size) {
        for (int attempt = 1; ; attempt++) {
            EtcdProcess e;
            try {
                e = new EtcdProcess(size);
                for (int i = 0; i < size; i++) {
                    e.launch(i);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            try {
                for (int i = 0; i < size; i++) {
                    e.awaitHealthy(i);
                }
                return e;
            } catch (IllegalStateException failed) {
                e.close();
                // A free port probed here can be taken by another process before etcd binds it: new ports.
                if (attempt == 3 || !String.valueOf(failed.getMessage()).contains("address already in use")) {
                    throw failed;
                }
            }
        }
    }

    /** The client URLs of every member (stopped ones included). */
    public List<URI> endpoints() {
        return members.stream().map(m -> URI.create("http://127.0.0.1:" + m.clientPort)).toList();
    }

    /** {@link #endpoints()} as {@code http://…,http://…}. */
    public String endpointList() {
        return endpoints().stream().map(URI::toString).collect(Collectors.joining(","));
    }

    /** The client URL of member {@code i}. */
    public URI endpoint(int i) {
        return endpoints().get(i);
    }

    /**
     * A store on this etcd under {@code prefix} with a 10 s deadline, once it has answered. For tests that are not
     * about the deadline: on a busy machine the first calls of a fresh JVM (loading and warming the gRPC client)
     * can take longer than the default 2 s. Tests of the deadline connect with {@link EtcdStore#connect} and
     * {@link #awaitReady}.
     */
    public EtcdStore store(String prefix) {
        return awaitReady(EtcdStore.connect(endpoints(), prefix, Duration.ofSeconds(10), Blobs.CHUNK_SIZE,
                ClusterSettings.DEFAULT_LEASE_TTL));
    }

    /** Waits (bounded, 60 s) until {@code store} gets an answer from etcd; returns it. */
    public static EtcdStore awaitReady(EtcdStore store) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        StoreResult<Long> r = store.revision();
        while (!r.isOk()) {
            if (System.nanoTime() > end) {
                store.close();
                throw new IllegalStateException("etcd did not answer the store within 60 s: " + r.message());
            }
            r = store.revision();
        }
        return store;
    }

    /** How many members. */
    public int size() {
        return members.size();
    }

    /** Stops member {@code i} (SIGTERM, then SIGKILL after 10 s) and waits until it is gone. */
    public void stop(int i) {
        Member m = members.get(i);
        Process p = m.process;
        m.process = null;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** Starts member {@code i} again on the same ports and data; waits until it is healthy. */
    public void start(int i) {
        try {
            launch(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitHealthy(i);
    }

    /** Starts every stopped member; waits until all are healthy. */
    public void startAll() {
        try {
            for (int i = 0; i < members.size(); i++) {
                if (members.get(i).process == null) {
                    launch(i);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < members.size(); i++) {
            awaitHealthy(i);
        }
    }

    /** Stops every member. */
    public void stopAll() {
        for (int i = 0; i < members.size(); i++) {
            stop(i);
        }
    }

    /** True while member {@code i}'s process runs. */
    public boolean running(int i) {
        Process p = members.get(i).process;
        return p != null && p.isAlive();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch(int i) throws IOException {
        Member m = members.get(i);
        Files.createDirectories(m.dir);
        String cluster = IntStream.range(0, members.size())
                .mapToObj(j -> members.get(j).name + "=http://127.0.0.1:" + members.get(j).peerPort)
                .collect(Collectors.joining(","));
        String client = "http://127.0.0.1:" + m.clientPort;
        String peer = "http://127.0.0.1:" + m.peerPort;
        List<String> cmd = List.of(binary(), "--name", m.name, "--data-dir", m.dir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", cluster, "--initial-cluster-state", "new",
                "--initial-cluster-token", token, "--logger", "zap", "--log-outputs", "stderr",
                "--heartbeat-interval", "50", "--election-timeout", "500");
        m.process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(m.dir.resolve("etcd.log").toFile()))
                .start();
    }

    private void awaitHealthy(int i) {
        Member m = members.get(i);
        long end = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        URI health = URI.create("http://127.0.0.1:" + m.clientPort + "/health");
        while (System.nanoTime() < end) {
            if (m.process == null || !m.process.isAlive()) {
                throw new IllegalStateException("etcd member " + m.name + " exited: " + log(m));
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"true\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new IllegalStateException("etcd member " + m.name + " not healthy within " + HEALTHY_WITHIN + ": "
                + log(m));
    }

    private static String log(Member m) {
        try {
            String s = Files.readString(m.dir.resolve("etcd.log"));
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void destroyAll() {
        for (Member m : members) {
            if (m.process != null) {
                m.process.destroyForcibly();
            }
        }
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, "etcd");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        Path usr = Path.of("/usr/bin/etcd");
        if (Files.isExecutable(usr)) {
            return usr.toString();
        }
        throw new IllegalStateException("no etcd binary on PATH or at /usr/bin/etcd: apt-get install etcd-server");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static final class Member {
        final String name;
        final int clientPort;
        final int peerPort;
        final Path dir;
        volatile Process process;

        Member(String name, int clientPort, int peerPort, Path dir) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dir = dir;
        }
    }
}
