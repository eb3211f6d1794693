package io.flagman.proxy.upstream;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Server;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Live per-server and per-backend state keyed by name, re-attached to every new snapshot. Mutated only by
 * {@code DataPlane.apply} (one thread at a time); read from any thread.
 */
public final class ServerStateRegistry {
    private final Map<String, Map<String, ServerState>> servers = new ConcurrentHashMap<>();
    private final Map<String, BackendQueue> queues = new ConcurrentHashMap<>();

    /** The state of {@code server} in {@code backend}, created on first sight. */
    public ServerState attach(Backend backend, Server server) {
        ServerState s = servers.computeIfAbsent(backend.name(), b -> new ConcurrentHashMap<>())
                .computeIfAbsent(server.name(), n -> new ServerState(backend.name(), server));
        s.reconfigure(server);
        return s;
    }

    public BackendQueue queue(String backend) {
        return queues.computeIfAbsent(backend, b -> new BackendQueue());
    }

    public Optional<ServerState> get(String backend, String server) {
        Map<String, ServerState> m = servers.get(backend);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(server));
    }

    /** Forgets backends and servers the configuration no longer has (after the swap), closing idle connections. */
    public void retainOnly(Config config) {
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
    }
}
