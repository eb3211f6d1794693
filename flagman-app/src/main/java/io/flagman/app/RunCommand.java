package io.flagman.app;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.text.Diagnostic;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.DataPlane;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flagman run}: serve a configuration until stopped, applying changes to it live. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a configuration. Without options, serves the bundled example (examples/flagman.cfg).",
            "SIGHUP or a change of the file on disk re-reads and applies it live; an invalid file leaves the"
                    + " running configuration untouched and prints the diagnostics."
        })
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "HAProxy configuration file to serve.")
    Path config;

    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        Path file = config != null ? config : bundledExample();
        LoadResult loaded = ConfigLoader.load(file);
        printDiagnostics(loaded);
        if (!loaded.ok()) {
            err.println("flagman: " + file + " is invalid; nothing started");
            return 1;
        }
        Config cfg = loaded.config();
        DataPlane dataPlane = new DataPlane(cfg.global().nbthread());
        try {
            dataPlane.apply(cfg);
        } catch (ApplyException e) {
            err.println("flagman: cannot start: " + e.getMessage());
            dataPlane.close();
            return 1;
        }
        describe(dataPlane, cfg, file);
        CountDownLatch stopped = new CountDownLatch(1);
        ConfigFileReloader reloader = new ConfigFileReloader(file, loaded.document().text(), dataPlane, err);
        reloader.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            reloader.close();
            dataPlane.close();
            stopped.countDown();
        }, "flagman-shutdown"));
        stopped.await();
        return 0;
    }

    private void describe(DataPlane dataPlane, Config cfg, Path file) {
        err.println("flagman: serving " + file + " (version " + cfg.version() + ")");
        for (Frontend f : cfg.frontends()) {
            err.println("flagman:   frontend " + f.name() + " (" + f.mode().keyword() + ") on "
                    + dataPlane.boundAddresses(f.name()));
        }
    }

    void printDiagnostics(LoadResult loaded) {
        for (Diagnostic d : loaded.diagnostics()) {
            err.println(d.format());
        }
    }

    private static Path bundledExample() {
        String home = System.getProperty("flagman.home");
        Path base = home != null ? Path.of(home) : Path.of("");
        Path example = base.resolve("examples/flagman.cfg");
        if (!Files.exists(example)) {
            throw new IllegalStateException("no --config given and the bundled example " + example
                    + " is missing; run from the Flagman checkout or pass --config FILE");
        }
        return example;
    }
}
