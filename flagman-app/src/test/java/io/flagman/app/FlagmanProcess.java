package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The packaged program ({@code flagman.jar}) as a child process, as an operator runs it: its stderr and stdout go
 * to a log file the test reads, signals are sent with the real {@code kill}. {@link #close()} kills it if it is
 * still running, so no test leaves a process behind.
 */
final class FlagmanProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private FlagmanProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code flagman run <args>} with its output in {@code dir/flagman.log}. */
    static FlagmanProcess run(Path dir, String... args) throws IOException {
        return run(dir, java.util.Map.of(), args);
    }

    /** As {@link #run(Path, String...)} with {@code env} added to the environment. */
    static FlagmanProcess run(Path dir, java.util.Map<String, String> env, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(), "run"));
        command.addAll(List.of(args));
        Path log = dir.resolve("flagman.log");
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        b.environment().putAll(env);
        Process p = b.start();
        p.getOutputStream().close();
        return new FlagmanProcess(p, log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Sends {@code SIG<name>} with the real {@code kill}, as systemd or an operator does. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -%s finished", name).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", name, pid()).isZero();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Waits (bounded) until the log contains {@code text} {@code times} times; fails if the process exits first. */
    void awaitLog(String text, int times, Duration within) throws InterruptedException {
        await(() -> count(log(), text) >= times, within, "the log to contain " + times + "x '" + text + "'");
    }

    /** Waits until {@code port} on loopback accepts connections (the program has started listening). */
    void awaitListening(int port, Duration within) throws InterruptedException {
        await(() -> connects(port), within, "127.0.0.1:" + port + " to accept connections");
    }

    /** Waits until {@code condition} holds, failing after {@code within} or when the process exits first. */
    void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(process.isAlive()).as("flagman exited (code %s) while waiting for %s; log:%n%s",
                    process.isAlive() ? "-" : process.exitValue(), what, log()).isTrue();
            assertThat(System.nanoTime() < deadline).as("waited %s for %s; log:%n%s", within, what, log()).isTrue();
            Thread.sleep(50); // polling interval of a bounded wait, not a synchronisation
        }
    }

    /** Waits for the process to exit; returns its exit code. */
    int awaitExit(Duration within) throws InterruptedException {
        assertThat(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS))
                .as("flagman exited within %s; log:%n%s", within, log()).isTrue();
        return process.exitValue();
    }

    static boolean connects(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
