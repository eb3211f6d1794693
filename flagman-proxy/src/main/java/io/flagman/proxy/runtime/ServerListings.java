package io.flagman.proxy.runtime;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.StatsSocket.Level;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.upstream.ServerEndpoint;
import java.util.List;

/** {@code show backend} (the backend names) and {@code show servers conn [<backend>]} (the connection pools). */
final class ServerListings {
    private ServerListings() {}

    static List<CliCommand> all() {
        return List.of(
                SimpleCommand.of("show backend",
                        "show backend                            : list backends in the current running config",
                        Level.USER, ServerListings::backends),
                SimpleCommand.of("show servers conn",
                        "show servers conn [<backend>]           : dump server connections status (all or for a single backend)",
                        Level.USER, ServerListings::connections));
    }

    private static Reply backends(CliContext c, List<String> w) {
        StringBuilder out = new StringBuilder("# name\n");
        for (Backend b : c.servers().snapshot().config().backends()) {
            out.append(b.name()).append('\n');
        }
        return Reply.dump(out.toString());
    }

    /**
     * HAProxy's columns; Flagman's pools keep no per-thread idle limit or purge delay, so {@code purge_delay} is
     * HAProxy's default (5000), {@code idle_lim} -1 (unlimited), {@code need_est}, {@code unsafe_nb} 0, and the
     * idle count is shown against the first thread.
     */
    private static Reply connections(CliContext c, List<String> w) {
        Snapshot snapshot = c.servers().snapshot();
        Config config = snapshot.config();
        String only = null;
        if (w.size() > 3) {
            only = ServerRef.backendName(config, w.get(3));
            if (only == null) {
                return Reply.error("Can't find backend.");
            }
        }
        int threads = c.servers().dataPlane().threads();
        ProxyIds ids = ProxyIds.of(config);
        StringBuilder out = new StringBuilder("# bkname/svname bkid/svid addr port - purge_delay used_cur used_max"
                + " need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[" + threads + "]\n");
        for (Backend b : config.backends()) {
            BackendRuntime br = snapshot.backend(b.name());
            if (br == null || (only != null && !only.equals(b.name()))) {
                continue;
            }
            List<ServerEndpoint> servers = br.servers();
            for (int i = 0; i < servers.size(); i++) {
                ServerEndpoint e = servers.get(i);
                ServerView v = new ServerView(e, false);
                int idle = e.state().pool().idleCount();
                int safe = e.state().pool().safeCount();
                int used = e.state().activeConnections();
                out.append(b.name()).append('/').append(e.name()).append(' ')
                        .append(ids.backend(b.name())).append('/').append(i + 1).append(' ')
                        .append(v.address()).append(' ').append(v.port()).append(" - 5000 ")
                        .append(used).append(' ').append(used).append(" 0 ").append(idle - safe).append(' ').append(safe)
                        .append(" -1 ")
                        .append(idle);
                for (int t = 0; t < threads; t++) {
                    out.append(' ').append(t == 0 ? idle : 0);
                }
                out.append('\n');
            }
        }
        return Reply.dump(out.toString());
    }
}
