package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import java.util.List;

/** {@code get weight <b>/<s>} and {@code set weight <b>/<s> <w>[%]} (the deprecated form of set server … weight). */
final class Weights {
    private Weights() {}

    static List<CliCommand> all() {
        return List.of(
                SimpleCommand.of("get weight",
                        "get weight <bk>/<srv>                   : report a server's current weight", Level.USER,
                        Weights::get),
                SimpleCommand.of("set weight",
                        "set weight <bk>/<srv>  (DEPRECATED)     : change a server's weight (use 'set server' instead)",
                        Level.ADMIN, Weights::set));
    }

    private static Reply get(CliContext c, List<String> w) {
        String arg = SetServer.arg(w, 2);
        int slash = arg.indexOf('/');
        if (slash < 0 || slash == arg.length() - 1) {
            return Reply.error("Require 'backend/server'.");
        }
        ServerRef ref = ServerRef.resolve(c.servers(), arg, false);
        if (!ref.ok()) {
            return ref.error();
        }
        ServerControl.Target t = ref.target();
        return Reply.dump(t.endpoint().weight() + " (initial " + t.server().weight() + ")\n");
    }

    private static Reply set(CliContext c, List<String> w) {
        ServerRef ref = ServerRef.resolve(c.servers(), SetServer.arg(w, 2), true);
        if (!ref.ok()) {
            return ref.error();
        }
        return SetServer.weight(c.servers(), ref.target(), SetServer.arg(w, 3));
    }
}
