package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import io.flagman.proxy.upstream.ServerState;
import java.util.List;

/**
 * {@code enable|disable server <b>/<s>} (HAProxy's deprecated spellings of {@code set server … state ready|maint})
 * and {@code enable|disable health <b>/<s>} (checks on or off; off, the server counts as UP whatever they say).
 */
final class ServerToggles {
    private ServerToggles() {}

    static List<CliCommand> all() {
        return List.of(
                SimpleCommand.of("disable health",
                        "disable health                          : disable health checks", Level.ADMIN,
                        (c, w) -> health(c, w, false)),
                SimpleCommand.of("disable server",
                        "disable server (DEPRECATED)             : disable a server for maintenance (use 'set server' instead)",
                        Level.ADMIN, (c, w) -> admin(c, w, ServerState.AdminState.MAINT)),
                SimpleCommand.of("enable health",
                        "enable health                           : enable health checks", Level.ADMIN,
                        (c, w) -> health(c, w, true)),
                SimpleCommand.of("enable server",
                        "enable server  (DEPRECATED)             : enable a disabled server (use 'set server' instead)",
                        Level.ADMIN, (c, w) -> admin(c, w, ServerState.AdminState.READY)));
    }

    private static Reply admin(CliContext c, List<String> w, ServerState.AdminState state) {
        ServerRef ref = ServerRef.resolve(c.servers(), SetServer.arg(w, 2), true);
        if (!ref.ok()) {
            return ref.error();
        }
        c.servers().setAdminState(ref.target().state(), state);
        return Reply.EMPTY;
    }

    private static Reply health(CliContext c, List<String> w, boolean enable) {
        ServerRef ref = ServerRef.resolve(c.servers(), SetServer.arg(w, 2), true);
        if (!ref.ok()) {
            return ref.error();
        }
        if (enable && !ref.target().server().check()) {
            return Reply.error("Health check was not configured on this server, cannot enable.");
        }
        c.servers().setCheckEnabled(ref.target().state(), enable);
        return Reply.EMPTY;
    }
}
