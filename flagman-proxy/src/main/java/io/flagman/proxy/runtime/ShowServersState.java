package io.flagman.proxy.runtime;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.StatsSocket.Level;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.upstream.ServerEndpoint;
import java.util.List;

/**
 * {@code show servers state [<backend>]}: format version {@code 1}, the field names, then one line per server in
 * configuration order (runtime-added ones last), HAProxy 3.2's 25 fields.
 */
final class ShowServersState implements CliCommand {
    static final String HEADER = "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight"
            + " srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health"
            + " srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord"
            + " srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port";

    @Override
    public List<String> keywords() {
        return List.of("show", "servers", "state");
    }

    @Override
    public String usage() {
        return "show servers state [<backend>]          : dump volatile server information (all or for a single backend)";
    }

    @Override
    public Level level() {
        return Level.USER;
    }

    @Override
    public Reply run(CliContext context, List<String> words) {
        ServerControl control = context.servers();
        Snapshot snapshot = control.snapshot();
        Config config = snapshot.config();
        String only = null;
        if (words.size() > 3) {
            only = ServerRef.backendName(config, words.get(3));
            if (only == null) {
                return Reply.error("Can't find backend.");
            }
        }
        ProxyIds ids = ProxyIds.of(config);
        StringBuilder out = new StringBuilder("1\n").append(HEADER).append('\n');
        for (Backend b : config.backends()) {
            BackendRuntime br = snapshot.backend(b.name());
            if (br == null || (only != null && !only.equals(b.name()))) {
                continue;
            }
            List<ServerEndpoint> servers = br.servers();
            for (int i = 0; i < servers.size(); i++) {
                ServerEndpoint e = servers.get(i);
                line(out, ids.backend(b.name()), b.name(), i + 1,
                        new ServerView(e, control.isRuntimeServer(b.name(), e.name())));
            }
        }
        return Reply.dump(out.toString());
    }

    private static void line(StringBuilder out, int backendId, String backend, int id, ServerView v) {
        out.append(backendId).append(' ').append(backend).append(' ').append(id).append(' ')
                .append(v.endpoint().name()).append(' ').append(v.address()).append(' ')
                .append(v.opState()).append(' ').append(v.adminState()).append(' ')
                .append(v.userWeight()).append(' ').append(v.initialWeight()).append(' ')
                .append(v.secondsSinceChange()).append(' ').append(v.checkStatus()).append(' ')
                .append(v.checkResult()).append(' ').append(v.checkHealth()).append(' ')
                .append(v.checkState()).append(' ')
                .append(0).append(' ') // srv_agent_state: no agent checks
                .append(0).append(' ').append(0).append(' ') // bk_f_forced_id, srv_f_forced_id: no 'id' keyword
                .append(v.fqdn()).append(' ').append(v.port()).append(' ')
                .append('-').append(' ') // srvrecord
                .append(v.server().ssl() ? 1 : 0).append(' ')
                .append(0).append(' ').append('-').append(' ') // srv_check_port, srv_check_addr
                .append('-').append(' ').append(0).append('\n'); // srv_agent_addr, srv_agent_port
    }
}
