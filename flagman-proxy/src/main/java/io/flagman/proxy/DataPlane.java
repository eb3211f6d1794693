package io.flagman.proxy;

import io.flagman.config.ConfigFiles;
import io.flagman.config.model.Config;
import io.flagman.config.model.Server;
import io.flagman.proxy.health.HealthChecks;
import io.flagman.proxy.listen.ListenerManager;
import io.flagman.proxy.runtime.RuntimeSockets;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;
import io.flagman.proxy.upstream.ServerStateRegistry;
import io.flagman.proxy.upstream.UpstreamConnector;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running proxy. {@link #apply} compiles a configuration into a {@link Snapshot}, opens new binds, swaps
 * the one {@link AtomicReference} every request reads, then drains binds that went away. Live server state
 * survives applies, keyed by backend/server name, and only changes once an apply can no longer fail.
 *
 * <p>Thread-safety: {@link #apply} and {@link #close} are synchronized (one reconfiguration at a time); the
 * read accessors may be called from any thread. Event loops only ever read the snapshot reference.
 */
public final class DataPlane implements AutoCloseable, io.flagman.proxy.service.StatsView {
    private static final Snapshot EMPTY = new Snapshot(Config.EMPTY, Map.of(), Map.of(),
            SnapshotCompiler.DEFAULT_HARD_STOP_AFTER);

    private final Transport transport;
    private final AtomicReference<Snapshot> current = new AtomicReference<>(EMPTY);
    private final ServerStateRegistry registry = new ServerStateRegistry();
    private final ListenerManager listeners;
    private final Map<String, LogSink> sinks = new HashMap<>();
    private final SnapshotCompiler compiler;
    private final HealthChecks healthChecks;
    private final LogSink console;
    private final RuntimeSockets runtimeSockets;
    // The configuration apply() was given (the running snapshot's adds the runtime servers to it).
    private volatile Config configured = Config.EMPTY;
    private volatile RuntimeServerSet runtimeServers = RuntimeServerSet.EMPTY;
    // What the files of the running configuration held when it was applied (ConfigFiles.digests).
    private volatile Map<String, String> files = Map.of();
    private volatile boolean closed;
    private volatile boolean stopping;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private volatile long bootMillis = -1;

    /** Starts the event loops; {@code threads} 0 means one per core. Nothing listens until {@link #apply}. */
    public DataPlane(int threads) {
        this.transport = new Transport(threads);
        ProxyContext context = new ProxyContext(current, new UpstreamConnector(transport.channelClass()), this);
        this.listeners = new ListenerManager(transport, context);
        this.compiler = new SnapshotCompiler(registry, this::sink);
        this.console = openConsole();
        sinks.put("stderr", console);
        this.healthChecks = new HealthChecks(transport.workerGroup(), transport.channelClass(), this::console,
                HealthChecks.DEFAULT_MAX_CONCURRENT);
        this.runtimeSockets = new RuntimeSockets(transport, this);
    }

    /** HAProxy's foreground notices (health transitions) on stderr, through the (non-blocking) stderr sink. */
    private void console(String line) {
        console.log(line);
    }

    private static LogSink openConsole() {
        try {
            return LogSink.open("stderr");
        } catch (ApplyException e) {
            throw new IllegalStateException(e);
        }
    }

    private LogSink sink(String address) throws ApplyException {
        LogSink s = sinks.get(address);
        if (s == null) {
            s = LogSink.open(address);
            sinks.put(address, s);
        }
        return s;
    }

    /**
     * Makes {@code config} the running configuration, all or nothing. Every step that can fail (compiling, opening
     * new binds) runs before anything live changes; on failure the sockets and log sinks this apply opened are
     * closed and the old snapshot keeps serving with its servers' live state untouched (admin state, health
     * checks). After the swap: binds that went away drain, live server state takes the new configuration's
     * changes ({@code disabled}, new and removed servers), health checkers follow. Requests under way finish on
     * the snapshot they started with.
     */
    public synchronized void apply(Config config) throws ApplyException {
        RuntimeServerSet servers = runtimeServers.retainFor(configured, config);
        swap(config, servers);
    }

    private void swap(Config config, RuntimeServerSet servers) throws ApplyException {
        if (closed || stopping) {
            throw new ApplyException("data plane is " + (closed ? "closed" : "stopping"));
        }
        Config running = servers.overlay(config);
        // Digests first, then the reads of the compile: a file replaced in between is seen as changed later.
        Map<String, String> read = ConfigFiles.digests(config);
        Set<String> sinksBefore = Set.copyOf(sinks.keySet());
        SnapshotCompiler.Compiled compiled;
        ListenerManager.Plan binds;
        RuntimeSockets.Plan cli;
        try {
            compiled = compiler.compile(running);
            // The runtime sockets first: once a frontend accepts, its socket is there too.
            cli = runtimeSockets.prepare(config.global());
            try {
                binds = listeners.prepare(compiled.snapshot());
            } catch (ApplyException | RuntimeException e) {
                cli.abort();
                throw e;
            }
        } catch (ApplyException | RuntimeException e) {
            closeSinksOpenedSince(sinksBefore);
            throw e;
        }
        Snapshot next = compiled.snapshot();
        current.set(next);
        configured = config;
        runtimeServers = servers;
        binds.commit(next.hardStopAfterMillis());
        cli.commit();
        registry.commit(compiled.serverStates(), running);
        healthChecks.reconcile(next);
        files = read;
        if (bootMillis < 0) {
            bootMillis = (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    /**
     * {@code add server}: adds {@code server} to {@code backend} until the backend's configuration changes or the
     * process stops (never written to the file). The server starts in maintenance with its checks disabled, as in
     * HAProxy; {@code set server … state ready} and {@code enable health} bring it in.
     */
    public synchronized ServerState addServer(String backend, Server server) throws ApplyException {
        swap(configured, runtimeServers.add(backend, server));
        ServerState st = registry.get(backend, server.name()).orElseThrow();
        return st;
    }

    /** {@code del server}: removes a server from the running set until the backend's configuration changes. */
    public synchronized void deleteServer(String backend, String server) throws ApplyException {
        swap(configured, runtimeServers.delete(backend, server));
    }

    /** True for a server added at runtime ({@code add server}) that is still running. */
    public boolean isRuntimeServer(String backend, String server) {
        return runtimeServers.isAdded(backend, server);
    }

    /**
     * Applies the running configuration again, reading every file it names anew (certificates, error files,
     * pattern files): what a changed file needs. Atomic with respect to {@link #apply}.
     */
    public synchronized void reapply() throws ApplyException {
        apply(configured);
    }

    /** The running configuration's {@code hard-stop-after} in ms (30 s when unset): the soft stop's bound. */
    public long hardStopAfterMillis() {
        return current.get().hardStopAfterMillis();
    }

    /** The files the running configuration read, each with its content digest when it was applied. */
    public Map<String, String> files() {
        return files;
    }

    private void closeSinksOpenedSince(Set<String> before) {
        sinks.entrySet().removeIf(e -> {
            boolean added = !before.contains(e.getKey());
            if (added) {
                e.getValue().close();
            }
            return added;
        });
    }

    /** The client connections being served now ({@code show sess}). */
    public List<io.flagman.proxy.listen.LiveSession> sessions() {
        return listeners.sessions();
    }

    /** The configuration in force, as it was applied (without the servers added or deleted at runtime). */
    public Config config() {
        return configured;
    }

    /** The running snapshot: the configuration in force with the runtime servers, compiled. */
    public Snapshot snapshot() {
        return current.get();
    }

    /** The number of event-loop threads. */
    public int threads() {
        return transport.threads();
    }

    /** Where {@code frontend} listens (actual ports, also for port-0 binds); empty for an unknown frontend. */
    public List<InetSocketAddress> boundAddresses(String frontend) {
        return listeners.addresses(frontend);
    }

    /** The live state of a server of the running configuration. */
    public Optional<ServerState> serverState(String backend, String server) {
        BackendRuntime b = current.get().backend(backend);
        if (b == null) {
            return Optional.empty();
        }
        return registry.get(backend, server);
    }

    /**
     * {@code show stat}: one row per frontend, listener ({@code option socket-stats}), server and backend of the
     * running configuration, in HAProxy's order (per proxy in configuration order: {@code FRONTEND}, listeners,
     * servers, {@code BACKEND}). Consumed by the runtime socket, the stats page, the Prometheus exporter and the
     * Data Plane API's stats, through the renderers of {@code io.flagman.proxy.stats}.
     */
    public List<io.flagman.proxy.stats.StatRow> statistics() {
        return StatsCollector.rows(current.get(), listeners::listeners);
    }

    /** {@code show info}: the process's fields (HAProxy 3.2's list; what Flagman has no counterpart for is 0). */
    public io.flagman.proxy.stats.ProcessInfo info() {
        return info(statistics());
    }

    /** {@code show info} computed from rows already read by {@link #statistics()} (one consistent view). */
    public io.flagman.proxy.stats.ProcessInfo info(List<io.flagman.proxy.stats.StatRow> rows) {
        Snapshot s = current.get();
        int binds = 0;
        for (io.flagman.config.model.Frontend f : s.config().frontends()) {
            binds += f.binds().size();
        }
        int maxconn = s.config().global().maxconn();
        InfoCollector.Process p = new InfoCollector.Process(transport.threads(), startMillis, startNanos,
                Math.max(0, bootMillis), maxconn, binds, stopping);
        return InfoCollector.info(p, rows, System.nanoTime());
    }

    /**
     * {@code clear counters} (all false: the maxima, such as {@code smax}, {@code rate_max}, {@code qtime_max}) or
     * {@code clear counters all} (every counter but the current gauges). Takes effect at once for readers; each
     * event loop zeroes its own part at its next event.
     */
    public void clearCounters(boolean all) {
        registry.clearCounters(all);
    }

    /** True when the native epoll transport is in use. */
    public boolean nativeTransport() {
        return transport.isEpoll();
    }

    /**
     * Soft stop: closes every listener (new connections are refused), lets the connections under way finish for
     * up to {@code hard-stop-after} (30 s when unset), then {@link #close}s. A {@link #close} from another thread
     * meanwhile cuts the wait short (the hard stop).
     *
     * @return true when every connection finished in time
     */
    public boolean softStop() {
        ListenerManager.Drain drain;
        long bound;
        synchronized (this) {
            if (closed || stopping) {
                return true;
            }
            stopping = true;
            bound = current.get().hardStopAfterMillis();
            drain = listeners.closeAll(bound);
        }
        // The drain closes what is left at the bound; the margin lets that close be seen rather than raced.
        boolean finished = drain.await(bound + 1_000);
        close();
        return finished;
    }

    /** Hard stop: stops listening, closes every connection now and stops the loops. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        runtimeSockets.close();
        healthChecks.close();
        listeners.closeAll(0);
        transport.shutdown();
        for (LogSink s : sinks.values()) {
            s.close();
        }
    }
}
