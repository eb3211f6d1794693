package io.flagman.app;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.text.Diagnostic;
import io.flagman.control.ApiSettings;
import io.flagman.control.ControlPlane;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.DataPlane;
import java.io.PrintStream;
import java.nio.file.Files;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flagman run}: serve a configuration until stopped, applying changes to it live. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Serve a configuration. Without options, serves the bundled example (examples/flagman.cfg).",
            "SIGHUP or a change of the file (or of a file it reads: crt, errorfile, lf-file, acl -f) re-reads and"
                    + " applies it live; an invalid file leaves the running configuration untouched and prints the"
                    + " diagnostics.",
            "SIGTERM, SIGINT or SIGUSR1: soft stop (no new connections, those under way finish for up to"
                    + " hard-stop-after, 30s when unset), then exit 0. A second one stops at once."
        })
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "HAProxy configuration file to serve.")
    Path config;

    @Option(names = "-f", paramLabel = "YAML",
            description = "The Data Plane API's settings file (dataplaneapi.yml): serves its haproxy.config_file and"
                    + " the Data Plane API v3 on its dataplaneapi.host/port.")
    Path dataplaneSettings;

    @Option(names = "--api", paramLabel = "HOST:PORT",
            description = "Serve the Data Plane API v3 on HOST:PORT (e.g. 127.0.0.1:5555) for --config FILE.")
    String api;

    @Option(names = "--userlist", paramLabel = "NAME",
            description = "The userlist holding the API's users (default: 'controller', or the only userlist"
                    + " of the configuration).")
    String userlist;

    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        Signals signals = Signals.install(err);
        if (dataplaneSettings != null || api != null) {
            return runWithApi(signals);
        }
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
        ConfigWatcher watcher = new ConfigWatcher(new PlainConfigSource(file, loaded.document().text(), dataPlane,
                err), dataPlane, err);
        return serve(signals, watcher, dataPlane, () -> { });
    }

    /**
     * Watches the files and answers signals until a stop signal, then stops softly. The shutdown hook covers an
     * exit by other means (a signal that could not be handled).
     */
    private int serve(Signals signals, ConfigWatcher watcher, DataPlane dataPlane, Runnable closeApi)
            throws InterruptedException {
        watcher.start();
        Thread hook = new Thread(() -> {
            watcher.close();
            closeApi.run();
            dataPlane.softStop();
        }, "flagman-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        signals.serving(watcher::reloadNow, dataPlane::close);
        String signal = signals.awaitStop();
        err.println("flagman: " + signal + ": soft stop: no new connections; those under way get up to "
                + dataPlane.hardStopAfterMillis() + " ms (hard-stop-after) to finish");
        watcher.close();
        closeApi.run();
        boolean finished = dataPlane.softStop();
        err.println(finished ? "flagman: stopped" : "flagman: hard-stop-after reached: closed the connections left");
        return 0;
    }

    /** Serve the file the Data Plane API manages: the control plane loads, validates, stores and applies it. */
    private Integer runWithApi(Signals signals) throws Exception {
        ApiSettings settings;
        if (dataplaneSettings != null) {
            settings = ApiSettings.load(dataplaneSettings);
            if (config != null) {
                settings = ApiSettings.of(config, settings.host(), settings.port()).withUserlist(settings.userlist());
            }
            if (api != null) {
                HostPort hp = HostPort.parse(api);
                settings = settings.withAddress(hp.host(), hp.port());
            }
        } else {
            if (config == null) {
                err.println("flagman: --api needs --config FILE (or use -f dataplaneapi.yml)");
                return 2;
            }
            HostPort hp = HostPort.parse(api);
            settings = ApiSettings.of(config, hp.host(), hp.port());
        }
        // Read once up front for what must be known before the data plane exists (threads, the userlist).
        LoadResult preview = ConfigLoader.load(settings.configFile());
        Config previewConfig = preview.config();
        String chosen = chooseUserlist(settings, previewConfig);
        if (chosen != null) {
            settings = settings.withUserlist(chosen);
        }
        DataPlane dataPlane = new DataPlane(previewConfig == null ? 0 : previewConfig.global().nbthread());
        ControlPlane controlPlane = new ControlPlane(settings, dataPlane::apply, new DataPlaneRuntime(dataPlane),
                new DataPlaneStats(dataPlane));
        InetSocketAddress apiAddress;
        try {
            apiAddress = controlPlane.start();
        } catch (IllegalStateException | java.io.IOException e) {
            err.println("flagman: cannot start: " + e.getMessage());
            controlPlane.close();
            dataPlane.close();
            return 1;
        }
        for (String note : controlPlane.notes()) {
            err.println("flagman: " + note);
        }
        if (controlPlane.startupWarning() != null) {
            err.println("flagman: " + controlPlane.startupWarning());
        }
        describe(dataPlane, dataPlane.config(), settings.configFile());

        err.println("flagman: Data Plane API v3 on http://" + apiAddress.getHostString() + ":" + apiAddress.getPort()
                + "/v3 (users from userlist '" + settings.userlist() + "')");
        // Hand edits become new versions through the API's store; the files the configuration reads re-apply it.
        ConfigWatcher watcher = new ConfigWatcher(forced -> controlPlane.poll(), dataPlane, err);
        return serve(signals, watcher, dataPlane, controlPlane::close);
    }

    /** --userlist wins; else 'controller' when it exists; else the configuration's only userlist; else null. */
    private String chooseUserlist(ApiSettings settings, Config cfg) {
        if (userlist != null) {
            return userlist;
        }
        if (cfg == null || dataplaneSettings != null || cfg.userlist(settings.userlist()).isPresent()
                || cfg.userlists().size() != 1) {
            return null;
        }
        String only = cfg.userlists().getFirst().name();
        err.println("flagman: API users come from userlist '" + only + "' (the configuration's only userlist)");
        return only;
    }

    private void describe(DataPlane dataPlane, Config cfg, Path file) {
        err.println("flagman: serving " + file + (cfg.version() > 0 ? " (version " + cfg.version() + ")" : ""));
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
        // Named as the user would type it: bin/flagman run from the checkout serves examples/flagman.cfg.
        Path here = Path.of("").toAbsolutePath();
        Path absolute = example.toAbsolutePath().normalize();
        return absolute.startsWith(here) ? here.relativize(absolute) : example;
    }
}
