package io.flagman.proxy;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Server;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The servers added ({@code add server}) and deleted ({@code del server}) at runtime, per backend, laid over the
 * configuration the data plane was given. They are runtime state: the file and the configuration version never
 * see them. They last until the backend's configuration changes (any difference in its section) or the process
 * restarts. Immutable; {@link DataPlane} replaces it under its lock.
 */
record RuntimeServerSet(Map<String, List<Server>> added, Map<String, List<String>> deleted) {

    static final RuntimeServerSet EMPTY = new RuntimeServerSet(Map.of(), Map.of());

    RuntimeServerSet {
        added = Map.copyOf(added);
        deleted = Map.copyOf(deleted);
    }

    boolean isAdded(String backend, String server) {
        return added.getOrDefault(backend, List.of()).stream().anyMatch(s -> s.name().equals(server));
    }

    RuntimeServerSet add(String backend, Server server) {
        Map<String, List<Server>> a = new HashMap<>(added);
        List<Server> list = new ArrayList<>(a.getOrDefault(backend, List.of()));
        list.add(server);
        a.put(backend, List.copyOf(list));
        Map<String, List<String>> d = new HashMap<>(deleted);
        List<String> gone = new ArrayList<>(d.getOrDefault(backend, List.of()));
        gone.remove(server.name());
        d.put(backend, List.copyOf(gone));
        return new RuntimeServerSet(a, d);
    }

    RuntimeServerSet delete(String backend, String server) {
        if (isAdded(backend, server)) {
            Map<String, List<Server>> a = new HashMap<>(added);
            a.put(backend, a.get(backend).stream().filter(s -> !s.name().equals(server)).toList());
            return new RuntimeServerSet(a, deleted);
        }
        Map<String, List<String>> d = new HashMap<>(deleted);
        List<String> gone = new ArrayList<>(d.getOrDefault(backend, List.of()));
        gone.add(server);
        d.put(backend, List.copyOf(gone));
        return new RuntimeServerSet(added, d);
    }

    /** What survives an apply from {@code before} to {@code next}: the changes of backends whose section is equal. */
    RuntimeServerSet retainFor(Config before, Config next) {
        Map<String, List<Server>> a = new HashMap<>();
        Map<String, List<String>> d = new HashMap<>();
        for (Backend b : next.backends()) {
            Backend old = before.backend(b.name()).orElse(null);
            if (!Objects.equals(old, b)) {
                continue;
            }
            List<Server> kept = added.getOrDefault(b.name(), List.of()).stream()
                    .filter(s -> b.server(s.name()).isEmpty()).toList();
            if (!kept.isEmpty()) {
                a.put(b.name(), kept);
            }
            List<String> gone = deleted.getOrDefault(b.name(), List.of());
            if (!gone.isEmpty()) {
                d.put(b.name(), gone);
            }
        }
        return new RuntimeServerSet(a, d);
    }

    /** {@code config} with the added servers appended to their backends and the deleted ones left out. */
    Config overlay(Config config) {
        if (added.isEmpty() && deleted.isEmpty()) {
            return config;
        }
        Map<String, Backend> out = new LinkedHashMap<>();
        for (Backend b : config.backends()) {
            List<String> gone = deleted.getOrDefault(b.name(), List.of());
            List<Server> more = added.getOrDefault(b.name(), List.of());
            if (gone.isEmpty() && more.isEmpty()) {
                out.put(b.name(), b);
                continue;
            }
            List<Server> servers = new ArrayList<>();
            for (Server s : b.servers()) {
                if (!gone.contains(s.name())) {
                    servers.add(s);
                }
            }
            servers.addAll(more);
            out.put(b.name(), b.withServers(servers));
        }
        return new Config(config.version(), config.global(), config.defaults(), config.frontends(),
                List.copyOf(out.values()), config.userlists());
    }
}
