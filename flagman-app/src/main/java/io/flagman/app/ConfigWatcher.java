package io.flagman.app;

import io.flagman.config.ConfigFiles;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.DataPlane;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one file watcher of {@code flagman run}, with and without the API: every {@link #INTERVAL} (and at once on
 * SIGHUP, {@link #reloadNow}) it checks the configuration file, then every file the running configuration reads
 * ({@link ConfigFiles}: certificates, error files, {@code lf-file}s, ACL pattern files). Changes are found by
 * content digest (symlinks followed), not by modification time. A changed configuration file goes to its
 * {@link ConfigSource} (a plain re-apply, or a new version through the Data Plane API's store); a changed file it
 * reads re-applies the running configuration, which reads it anew. A change that does not apply leaves the
 * running configuration, certificate included, as it was, and is reported once on stderr.
 *
 * <p>All checks run on the watcher's one thread, so they never overlap.
 */
final class ConfigWatcher implements AutoCloseable {

    /** How often the files are checked. */
    static final Duration INTERVAL = Duration.ofSeconds(1);

    /** What to do with the configuration file itself. */
    interface ConfigSource {
        /**
         * Reads the configuration file and applies it when it changed ({@code forced}: also when it did not).
         *
         * @return true when it dealt with a changed (or forced) file: an apply read every file anew, and after a
         *     refused one the other files wait for the next round
         */
        boolean check(boolean forced);
    }

    private final ConfigSource source;
    private final DataPlane dataPlane;
    private final PrintStream err;
    private final ScheduledExecutorService timer;
    // The digests of a re-apply that failed: reported once, retried when the files change again. Watcher thread.
    private Map<String, String> refused;

    ConfigWatcher(ConfigSource source, DataPlane dataPlane, PrintStream err) {
        this.source = source;
        this.dataPlane = dataPlane;
        this.err = err;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flagman-config-watch");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        timer.scheduleWithFixedDelay(() -> check(false), INTERVAL.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** SIGHUP: re-read the configuration and every file it reads now, and apply them even if nothing changed. */
    void reloadNow() {
        try {
            timer.execute(() -> check(true));
        } catch (RejectedExecutionException e) {
            err.println("flagman: SIGHUP during the stop: nothing to re-read");
        }
    }

    private void check(boolean forced) {
        try {
            if (!source.check(forced)) {
                files(forced);
            }
        } catch (RuntimeException e) {
            err.println("flagman: bug in the file watcher: " + e + "; the running configuration is unchanged");
        }
    }

    private void files(boolean forced) {
        Map<String, String> applied = dataPlane.files();
        Map<String, String> now = new TreeMap<>();
        for (String file : applied.keySet()) {
            now.put(file, digest(file));
        }
        List<String> changed = applied.keySet().stream().filter(f -> !applied.get(f).equals(now.get(f))).toList();
        if (!forced && (changed.isEmpty() || now.equals(refused))) {
            return;
        }
        String what = changed.isEmpty() ? "the running configuration" : String.join(", ", changed);
        try {
            dataPlane.reapply();
            refused = null;
            err.println("flagman: re-read " + what + " and applied it live");
        } catch (ApplyException e) {
            refused = now;
            err.println("flagman: cannot apply the change of " + what + ": " + e.getMessage()
                    + "; the running configuration keeps the previous content");
        }
    }

    private static String digest(String file) {
        try {
            return ConfigFiles.digest(Path.of(file));
        } catch (InvalidPathException e) {
            return "invalid path";
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
