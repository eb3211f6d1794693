package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import io.flagman.proxy.upstream.ServerState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code set server <b>/<s> state|weight|addr|health …}: the admin state, the weight, the address, a forced
 * health; anything else gets HAProxy's usage line.
 */
final class SetServer implements CliCommand {
    static final String USAGE_ERROR = "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port"
            + " | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight";

    static List<CliCommand> all() {
        return List.of(new SetServer());
    }

    @Override
    public List<String> keywords() {
        return List.of("set", "server");
    }

    @Override
    public String usage() {
        return "set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl";
    }

    @Override
    public Level level() {
        return Level.ADMIN;
    }

    @Override
    public Reply run(CliContext context, List<String> words) {
        ServerRef ref = ServerRef.resolve(context.servers(), arg(words, 2), true);
        if (!ref.ok()) {
            return ref.error();
        }
        ServerControl.Target t = ref.target();
        String value = arg(words, 4);
        return switch (arg(words, 3)) {
            case "state" -> state(context.servers(), t, value);
            case "weight" -> weight(context.servers(), t, value);
            case "addr" -> address(context.servers(), t, value, arg(words, 5).equals("port") ? arg(words, 6) : null);
            case "health" -> health(t, value);
            case "agent", "agent-send" -> Reply.error("agent checks are not enabled on this server.");
            default -> Reply.error(USAGE_ERROR);
        };
    }

    static String arg(List<String> words, int i) {
        return i < words.size() ? words.get(i) : "";
    }

    static Reply state(ServerControl control, ServerControl.Target t, String value) {
        ServerState.AdminState admin = switch (value) {
            case "ready" -> ServerState.AdminState.READY;
            case "drain" -> ServerState.AdminState.DRAIN;
            case "maint" -> ServerState.AdminState.MAINT;
            default -> null;
        };
        if (admin == null) {
            return Reply.error("'set server <srv> state' expects 'ready', 'drain' and 'maint'.");
        }
        control.setAdminState(t.state(), admin);
        return Reply.EMPTY;
    }

    static Reply weight(ServerControl control, ServerControl.Target t, String value) {
        WeightChange w = WeightChange.parse(value, t.server().weight(), t.backend().balance().algorithm());
        if (w.error() != null) {
            return Reply.error(w.error());
        }
        control.setWeight(t.state(), w.weight());
        return Reply.EMPTY;
    }

    private static Reply health(ServerControl.Target t, String value) {
        switch (value) {
            case "up", "stopping" -> t.state().setHealth(ServerState.Health.UP);
            case "down" -> t.state().setHealth(ServerState.Health.DOWN);
            default -> {
                return Reply.error("'set server <srv> health' expects 'up', 'stopping', or 'down'.");
            }
        }
        return Reply.EMPTY;
    }

    /** {@code addr <ip> [port <p>]}: an IP literal only (no name lookups here), reported at severity warning. */
    private static Reply address(ServerControl control, ServerControl.Target t, String ip, String portText) {
        if (ip.isEmpty()) {
            return Reply.error("set server <b>/<s> addr requires an address and optionally a port.");
        }
        InetAddress next = IpLiteral.parse(ip);
        if (next == null) {
            return new Reply.Message(Reply.WARNING, "Invalid addr '" + ip + "'");
        }
        InetSocketAddress current = t.endpoint().address();
        int port = current.getPort();
        if (portText != null) {
            Integer p = portNumber(portText);
            if (p == null) {
                return new Reply.Message(Reply.WARNING, "problem converting port '" + portText + "' to an int");
            }
            port = p;
        }
        StringBuilder msg = new StringBuilder();
        InetAddress was = current.getAddress();
        boolean ipChange = was == null || !was.equals(next);
        if (ipChange) {
            msg.append("IP changed from '").append(was == null ? "(none)" : ServerView.ipText(was))
                    .append("' to '").append(ServerView.ipText(next)).append("'");
        }
        boolean portChange = port != current.getPort();
        if (portChange) {
            if (ipChange) {
                msg.append(", ");
            }
            msg.append("port changed from '").append(current.getPort()).append("' to '").append(port).append("'");
        }
        if (!ipChange && !portChange) {
            return new Reply.Message(Reply.WARNING, "nothing changed");
        }
        control.setAddress(t.state(), new InetSocketAddress(next, port));
        msg.append(" by 'stats socket command'");
        return new Reply.Message(Reply.WARNING, msg.toString());
    }

    private static Integer portNumber(String text) {
        int i = 0;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int start = i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            i++;
        }
        if (i == start || i - start > 9) {
            return null;
        }
        return Integer.parseInt(text.substring(start, i)) & 0xffff;
    }
}
