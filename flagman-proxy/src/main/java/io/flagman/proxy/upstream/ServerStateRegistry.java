package io.flagman.proxy.upstream;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.Server;
import io.flagman.proxy.stats.Counters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Live per-server, per-backend and per-frontend state (admin state, health, queues, statistics) keyed by name, re-attached to every new snapshot. Mutated only by
 * {@code DataPlane.apply} (one thread at a time); read from any thread.
 *
 * <p>Two-phase, like the listeners: compiling a snapshot only {@linkplain #plan() plans} (finds the state each
 * server will use, or creates it unregistered, and notes what the new configuration changes in it), and only
 * {@link #commit} after the swap touches live state. A rejected apply therefore leaves every server as it was.
 */
public final class ServerStateRegistry {
    private final Map<String, Map<String, ServerState>> servers = new ConcurrentHashMap<>();
    private final Map<String, BackendQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, Counters> frontendCounters = new ConcurrentHashMap<>();
    private final Map<String, Counters> backendCounters = new ConcurrentHashMap<>();

    /** A kept server's state and the server line the new configuration has for it. */
    private record Reconfigure(ServerState state, Server server) {}

    /** A new, empty plan for the next snapshot. */
    public Plan plan() {
        return new Plan();
    }

    /**
     * The live state a snapshot being compiled will use, and the changes its configuration makes to it. Building
     * it changes nothing: existing states are only read, new ones are held here until {@link #commit}.
     */
    public final class Plan {
        private final Map<String, Map<String, ServerState>> created = new HashMap<>();
        private final Map<String, BackendQueue> newQueues = new HashMap<>();
        private final Map<String, Counters> newFrontendCounters = new HashMap<>();
        private final Map<String, Counters> newBackendCounters = new HashMap<>();
        private final List<Reconfigure> changes = new ArrayList<>();

        private Plan() {}

        /** The state {@code server} of {@code backend} will use: the live one, or a new one (unregistered yet). */
        public ServerState attach(Backend backend, Server server) {
            ServerState live = get(backend.name(), server.name()).orElse(null);
            if (live == null) {
                return created.computeIfAbsent(backend.name(), b -> new HashMap<>())
                        .computeIfAbsent(server.name(), n -> new ServerState(backend.name(), server));
            }
            changes.add(new Reconfigure(live, server));
            return live;
        }

        /** The queue of {@code backend}: the live one, or a new one (unregistered yet). */
        public BackendQueue queue(String backend) {
            BackendQueue live = queues.get(backend);
            return live != null ? live : newQueues.computeIfAbsent(backend, b -> new BackendQueue());
        }

        /** The statistics of frontend {@code name}: the live ones, or new ones (unregistered yet). */
        public Counters frontendCounters(String name) {
            Counters live = frontendCounters.get(name);
            return live != null ? live : newFrontendCounters.computeIfAbsent(name, n -> new Counters());
        }

        /** The statistics of backend {@code name}: the live ones, or new ones (unregistered yet). */
        public Counters backendCounters(String name) {
            Counters live = backendCounters.get(name);
            return live != null ? live : newBackendCounters.computeIfAbsent(name, n -> new Counters());
        }
    }

    /**
     * After the swap to the snapshot {@code plan} was built for: registers its new states, applies the
     * configuration's changes to the kept ones (a changed {@code disabled}), and forgets backends and servers
     * {@code config} no longer has, closing their idle connections.
     */
    public void commit(Plan plan, Config config) {
        plan.created.forEach((b, m) -> servers.computeIfAbsent(b, k -> new ConcurrentHashMap<>()).putAll(m));
        queues.putAll(plan.newQueues);
        frontendCounters.putAll(plan.newFrontendCounters);
        backendCounters.putAll(plan.newBackendCounters);
        plan.changes.forEach(c -> c.state().reconfigure(c.server()));
        retainOnly(config);
    }

    /**
     * {@code clear counters} ({@code all} false: maxima) or {@code clear counters all}, on every frontend, backend
     * and server.
     */
    public void clearCounters(boolean all) {
        frontendCounters.values().forEach(c -> c.clear(all));
        backendCounters.values().forEach(c -> c.clear(all));
        queues.values().forEach(BackendQueue::clearMax);
        servers.values().forEach(m -> m.values().forEach(s -> s.clearCounters(all)));
    }

    public Optional<ServerState> get(String backend, String server) {
        Map<String, ServerState> m = servers.get(backend);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(server));
    }

    private void retainOnly(Config config) {
        Map<String, Set<String>> keep = config.backends().stream().collect(Collectors.toMap(
                Backend::name, b -> b.servers().stream().map(Server::name).collect(Collectors.toSet()), (a, b) -> a));
        servers.entrySet().removeIf(e -> {
            Set<String> names = keep.get(e.getKey());
            e.getValue().entrySet().removeIf(s -> {
                boolean gone = names == null || !names.contains(s.getKey());
                if (gone) {
                    s.getValue().pool().closeAll();
                }
                return gone;
            });
            return names == null;
        });
        queues.keySet().removeIf(b -> !keep.containsKey(b));
        backendCounters.keySet().removeIf(b -> !keep.containsKey(b));
        Set<String> fronts = config.frontends().stream().map(Frontend::name).collect(Collectors.toSet());
        frontendCounters.keySet().removeIf(f -> !fronts.contains(f));
    }
}
