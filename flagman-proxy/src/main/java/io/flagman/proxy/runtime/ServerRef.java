package io.flagman.proxy.runtime;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import java.util.Optional;

/**
 * A {@code <backend>/<server>} argument resolved as HAProxy does ({@code #<id>} works for either part), with its
 * errors in HAProxy's order: {@code Require 'backend/server'.}, {@code No such backend.}, {@code No such server.},
 * {@code Proxy is disabled.}
 */
record ServerRef(ServerControl.Target target, Reply error) {

    static ServerRef resolve(ServerControl control, String word, boolean checkDisabled) {
        int slash = word == null ? -1 : word.indexOf('/');
        if (slash < 0) {
            return fail("Require 'backend/server'.");
        }
        String b = word.substring(0, slash);
        String s = word.substring(slash + 1);
        Config config = control.snapshot().config();
        String backendName = backendName(config, b);
        Optional<Backend> backend = backendName == null ? Optional.empty() : config.backend(backendName);
        if (backend.isEmpty()) {
            return fail("No such backend.");
        }
        String serverName = s;
        if (s.startsWith("#")) {
            Integer id = number(s.substring(1));
            var servers = backend.get().servers();
            serverName = id != null && id >= 1 && id <= servers.size() ? servers.get(id - 1).name() : null;
        }
        if (serverName == null || backend.get().server(serverName).isEmpty()) {
            return fail("No such server.");
        }
        if (backend.get().disabled()) {
            return checkDisabled ? fail("Proxy is disabled.") : fail("No such server.");
        }
        return control.find(backendName, serverName).map(t -> new ServerRef(t, null))
                .orElseGet(() -> fail("No such server."));
    }

    /** A backend named by name or {@code #<iid>}, or null. */
    static String backendName(Config config, String word) {
        if (word.startsWith("#")) {
            Integer id = number(word.substring(1));
            return id == null ? null : ProxyIds.of(config).backendNamed(id);
        }
        return config.backend(word).isPresent() ? word : null;
    }

    private static Integer number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ServerRef fail(String text) {
        return new ServerRef(null, Reply.error(text));
    }

    boolean ok() {
        return error == null;
    }
}
