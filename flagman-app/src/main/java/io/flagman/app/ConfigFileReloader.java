package io.flagman.app;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.text.Diagnostic;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.DataPlane;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Re-reads the configuration file on SIGHUP and when its content changes on disk (checked once a second), and
 * applies it live. An invalid file or a failed apply leaves the running configuration untouched.
 */
final class ConfigFileReloader implements AutoCloseable {

    private final Path file;
    private final DataPlane dataPlane;
    private final PrintStream err;
    private final ScheduledExecutorService timer;
    // Touched only from the timer thread (SIGHUP hands over to it), so no synchronization is needed.
    private String lastText;

    ConfigFileReloader(Path file, String currentText, DataPlane dataPlane, PrintStream err) {
        this.file = file;
        this.lastText = currentText;
        this.dataPlane = dataPlane;
        this.err = err;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flagman-config-watch");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        timer.scheduleWithFixedDelay(() -> check(false), 1, 1, TimeUnit.SECONDS);
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> timer.execute(() -> check(true)));
        } catch (IllegalArgumentException e) {
            err.println("flagman: SIGHUP is not available here; watching " + file + " for changes only");
        }
    }

    private void check(boolean forced) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (forced) {
                err.println("flagman: cannot read " + file + ": " + e.getMessage() + "; configuration unchanged");
            }
            return;
        }
        if (!forced && text.equals(lastText)) {
            return;
        }
        lastText = text;
        LoadResult loaded = ConfigLoader.fromText(file.toString(), text, file.toAbsolutePath().getParent());
        for (Diagnostic d : loaded.diagnostics()) {
            err.println(d.format());
        }
        if (!loaded.ok()) {
            err.println("flagman: " + file + " is invalid; the running configuration is unchanged");
            return;
        }
        try {
            dataPlane.apply(loaded.config());
            err.println("flagman: applied " + file + " live");
        } catch (ApplyException e) {
            err.println("flagman: cannot apply " + file + ": " + e.getMessage()
                    + "; the running configuration is unchanged");
        } catch (RuntimeException e) {
            err.println("flagman: bug while applying " + file + ": " + e + "; the running configuration is unchanged");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
