package io.flagman.proxy.runtime;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's proxy ids ({@code iid}, {@code be_id}): proxies numbered in file order from 2 (id 1 is taken by the
 * hidden {@code GLOBAL} frontend of the stats sockets); a {@code listen} is one proxy.
 */
final class ProxyIds {
    private final Map<String, Integer> backends = new HashMap<>();
    private final Map<String, Integer> frontends = new HashMap<>();

    private record Proxy(String name, boolean backend, boolean listen, int line) {}

    private ProxyIds() {}

    static ProxyIds of(Config config) {
        List<Proxy> all = new ArrayList<>();
        for (Backend b : config.backends()) {
            all.add(new Proxy(b.name(), true, b.listen(), b.line()));
        }
        for (Frontend f : config.frontends()) {
            boolean listen = config.backend(f.name()).map(Backend::listen).orElse(false);
            if (!listen) {
                all.add(new Proxy(f.name(), false, false, f.line()));
            }
        }
        all.sort(Comparator.comparingInt(Proxy::line));
        ProxyIds ids = new ProxyIds();
        int next = 2;
        for (Proxy p : all) {
            int id = next++;
            if (p.backend()) {
                ids.backends.put(p.name(), id);
                if (p.listen()) {
                    ids.frontends.put(p.name(), id);
                }
            } else {
                ids.frontends.put(p.name(), id);
            }
        }
        return ids;
    }

    /** The id of backend (or listen) {@code name}, or -1. */
    int backend(String name) {
        return backends.getOrDefault(name, -1);
    }

    /** The name of the backend with id {@code id}, or null. */
    String backendNamed(int id) {
        return backends.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey).findFirst()
                .orElse(null);
    }
}
