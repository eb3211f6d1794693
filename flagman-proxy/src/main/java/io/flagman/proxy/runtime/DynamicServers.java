package io.flagman.proxy.runtime;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Server;
import io.flagman.config.model.StatsSocket.Level;
import io.flagman.config.text.Diagnostic;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.upstream.ServerState;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code add server <b>/<s> <addr>[:<port>] [keywords]} and {@code del server <b>/<s>}. An added server is parsed
 * by the configuration's own {@code server} keyword (so every keyword Flagman knows works, with the same
 * diagnostics), does not inherit {@code default-server}, and starts in maintenance with its checks disabled, as
 * in HAProxy. Added and deleted servers are runtime state (see {@code RuntimeServerSet}).
 */
final class DynamicServers {
    private DynamicServers() {}

    static List<CliCommand> all() {
        return List.of(
                SimpleCommand.of("add server",
                        "add server <bk>/<srv>                   : create a new server", Level.ADMIN,
                        DynamicServers::add),
                SimpleCommand.of("del server",
                        "del server <bk>/<srv>                   : remove a dynamically added server", Level.ADMIN,
                        DynamicServers::delete));
    }

    private static Reply add(CliContext c, List<String> w) {
        String ref = SetServer.arg(w, 2);
        int slash = ref.indexOf('/');
        if (slash <= 0 || slash == ref.length() - 1) {
            return Reply.error("Require 'backend/server'.");
        }
        String backendName = ref.substring(0, slash);
        String name = ref.substring(slash + 1);
        Config config = c.servers().snapshot().config();
        Backend backend = config.backend(backendName).orElse(null);
        if (backend == null || c.servers().snapshot().backend(backendName) == null) {
            return Reply.error("No such backend.");
        }
        if (!WeightChange.dynamic(backend.balance().algorithm())) {
            return Reply.error("Backend must use a dynamic load balancing to support dynamic servers.");
        }
        if (w.size() < 4) {
            return Reply.error("'server' expects <name> and <addr>[:<port>] as arguments.");
        }
        if (backend.server(name).isPresent()) {
            return Reply.error("Already exists a server with the same name in backend.");
        }
        Server parsed;
        StringBuilder text = new StringBuilder("backend ").append(backendName).append("\n    server ").append(name);
        for (String word : w.subList(3, w.size())) {
            text.append(' ').append(quote(word));
        }
        text.append('\n');
        LoadResult r = ConfigLoader.fromText("add server", text.toString(), Path.of("").toAbsolutePath());
        if (!r.ok()) {
            return Reply.error(r.errors().stream().map(Diagnostic::message).findFirst().orElse("invalid server"));
        }
        parsed = r.config().backend(backendName).flatMap(b -> b.server(name)).orElseThrow();
        Server added = new Server(parsed.name(), parsed.host(), parsed.port(), parsed.weight(), parsed.backup(), true,
                parsed.maxconn(), parsed.check(), parsed.inter(), parsed.rise(), parsed.fall(), parsed.sendProxy(),
                parsed.ssl(), parsed.verify(), parsed.sni(), parsed.checkPort(), parsed.checkAddr(), 0);
        try {
            ServerState st = c.servers().add(backendName, added);
            c.servers().setCheckEnabled(st, false);
        } catch (ApplyException e) {
            return Reply.error(e.getMessage());
        }
        return Reply.info("New server registered.");
    }

    private static Reply delete(CliContext c, List<String> w) {
        String ref = SetServer.arg(w, 2);
        if (ref.indexOf('/') < 0) {
            return Reply.error("Require 'backend/server'.");
        }
        ServerRef found = ServerRef.resolve(c.servers(), ref, false);
        if (!found.ok()) {
            return found.error();
        }
        ServerControl.Target t = found.target();
        boolean referenced = t.backend().useServers().stream().anyMatch(u -> u.server().equals(t.server().name()));
        if (referenced) {
            return Reply.error("This server cannot be removed at runtime due to other configuration elements"
                    + " pointing to it.");
        }
        if (t.state().adminState() != ServerState.AdminState.MAINT) {
            return Reply.error("Only servers in maintenance mode can be deleted.");
        }
        if (t.state().activeConnections() > 0) {
            return Reply.error("Server still has connections attached to it, cannot remove it.");
        }
        try {
            c.servers().delete(t.backend().name(), t.server().name());
        } catch (ApplyException e) {
            return Reply.error(e.getMessage());
        }
        return Reply.info("Server deleted.");
    }

    /** A word as the configuration language reads it back unchanged. */
    private static String quote(String word) {
        if (word.matches("[A-Za-z0-9_.:/@%\\[\\]+*=,-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
