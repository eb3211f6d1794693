package io.flagman.app;

import io.flagman.cluster.ClusterNode;
import io.flagman.cluster.ClusterSettings;
import io.flagman.cluster.EtcdStore;
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
import java.time.Clock;
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
                    + " hard-stop-after, 30s when unset), then exit 0. A second one stops at once.",
            "With --cluster, the process is a node of a fleet (docs/cluster.md): it serves the version its channel"
                    + " points to, and the Data Plane API is on (127.0.0.1:5555 unless --api or -f says otherwise)."
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

    @Option(names = "--cluster", paramLabel = "URLS",
            description = "Run as a node of a fleet kept in etcd: its client URLs, comma-separated"
                    + " (http://127.0.0.1:2379[,…]). Needs --node and --channel.")
    String cluster;

    @Option(names = "--node", paramLabel = "NAME", description = "This node's name in the fleet (cluster mode).")
    String node;

    @Option(names = "--channel", paramLabel = "NAME",
            description = "The channel this node follows, e.g. staging or production (cluster mode).")
    String channel;

    @Option(names = "--cluster-prefix", paramLabel = "PREFIX",
            description = "The fleet's key prefix in etcd (default: /flagman/default).")
    String clusterPrefix;

    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        Signals signals = Signals.install(err);
        boolean clusterOptions = cluster != null || node != null || channel != null || clusterPrefix != null;
        if (dataplaneSettings != null || api != null || clusterOptions) {
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
            try {
                settings = ApiSettings.load(dataplaneSettings);
            } catch (IllegalArgumentException e) {
                err.println("flagman: " + dataplaneSettings + ": " + e.getMessage());
                return 2;
            }
            if (config != null) {
                settings = ApiSettings.of(config, settings.host(), settings.port()).withUserlist(settings.userlist())
                        .withCluster(settings.cluster());
            }
            if (api != null) {
                HostPort hp = HostPort.parse(api);
                settings = settings.withAddress(hp.host(), hp.port());
            }
        } else {
            if (config == null) {
                err.println("flagman: " + (api != null ? "--api" : "--cluster")
                        + " needs --config FILE (or use -f dataplaneapi.yml)");
                return 2;
            }
            HostPort hp = api != null ? HostPort.parse(api)
                    : new HostPort(ApiSettings.DEFAULT_HOST, ApiSettings.DEFAULT_PORT);
            settings = ApiSettings.of(config, hp.host(), hp.port());
        }
        ClusterSettings clusterSettings;
        try {
            clusterSettings = ClusterMode.settings(cluster, node, channel, clusterPrefix, settings.cluster());
        } catch (ClusterMode.Usage e) {
            err.println("flagman: " + e.getMessage());
            return 2;
        }
        // Read once up front for what must be known before the data plane exists (threads, the userlist).
        LoadResult preview = ConfigLoader.load(settings.configFile());
        Config previewConfig = preview.config();
        String chosen = chooseUserlist(settings, previewConfig);
        if (chosen != null) {
            settings = settings.withUserlist(chosen);
        }
        DataPlane dataPlane = new DataPlane(previewConfig == null ? 0 : previewConfig.global().nbthread());
        ControlPlane.Options options = ControlPlane.Options.defaults().withStats(new DataPlaneStats(dataPlane));
        ClusterNode clusterNode = null;
        if (clusterSettings != null) {
            clusterNode = new ClusterNode(clusterSettings, EtcdStore.connect(clusterSettings),
                    new DataPlaneHealth(dataPlane), new Main.Version().getVersion()[0], Clock.systemUTC());
            options = options.withGate(clusterNode.gate()).withHandEdits(clusterNode.handEdits())
                    .withRoutes(clusterNode.routes());
        }
        DataPlaneRuntime runtime = new DataPlaneRuntime(dataPlane);
        ControlPlane controlPlane = new ControlPlane(settings, dataPlane::apply, runtime, options);
        InetSocketAddress apiAddress;
        try {
            apiAddress = controlPlane.start();
        } catch (IllegalStateException | java.io.IOException e) {
            err.println("flagman: cannot start: " + e.getMessage());
            controlPlane.close();
            if (clusterNode != null) {
                clusterNode.close();
            }
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
        Runnable close = controlPlane::close;
        if (clusterNode != null) {
            ClusterNode agent = clusterNode;
            agent.start(controlPlane.service(), apiAddress.getHostString() + ":" + apiAddress.getPort());
            agent.runActions(runtime);
            err.println("flagman: node '" + clusterSettings.node() + "' follows channel '" + clusterSettings.channel()
                    + "' (" + (agent.writable() ? "writable: API changes are published to it"
                    : "API writes refused: promote to it") + ") in etcd at " + String.join(",",
                    clusterSettings.endpoints().stream().map(Object::toString).toList()) + " under "
                    + clusterSettings.prefix());
            close = () -> {
                agent.close();
                controlPlane.close();
            };
        }
        // Hand edits become new versions through the API's store (in cluster mode: drift, reverted); the files the
        // configuration reads re-apply it.
        ConfigWatcher watcher = new ConfigWatcher(forced -> controlPlane.poll(), dataPlane, err);
        return serve(signals, watcher, dataPlane, close);
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
