package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import io.flagman.proxy.listen.LiveSession;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * {@code show sess [all]}: one summary line per client connection being served, in HAProxy's format up to
 * {@code age=} ({@code 0x<id>: proto=tcpv4 src=<ip>:<port> fe=<frontend> be=<backend> srv=<server> ts=00 epoch=0
 * age=<time>}; {@code be=<NONE> srv=<none>} while nothing is routed). The fields after {@code age} describe
 * HAProxy's stream internals and are not printed; the CLI's own connection is not listed; {@code show sess <id>}
 * (HAProxy's multi-line dump of one stream) is refused with a message saying so.
 */
final class ShowSess {
    private ShowSess() {}

    static CliCommand command() {
        return SimpleCommand.of("show sess",
                "show sess [id]                          : report the list of current sessions or dump this exact session",
                Level.OPERATOR, ShowSess::run);
    }

    private static Reply run(CliContext c, List<String> w) {
        if (w.size() > 2 && !w.get(2).equals("all")) {
            return Reply.error("Flagman does not dump a single session; 'show sess' lists them all.");
        }
        long now = System.nanoTime();
        StringBuilder out = new StringBuilder();
        for (LiveSession s : c.servers().dataPlane().sessions()) {
            out.append("0x").append(s.id()).append(": proto=").append(s.proto())
                    .append(" src=").append(source(s.source()))
                    .append(" fe=").append(s.frontend())
                    .append(" be=").append(s.backend() == null ? "<NONE>" : s.backend())
                    .append(" srv=").append(s.server() == null ? "<none>" : s.server())
                    .append(" ts=00 epoch=0 age=").append(humanTime((now - s.acceptNanos()) / 1_000_000_000L))
                    .append('\n');
        }
        return Reply.dump(out.toString());
    }

    private static String source(InetSocketAddress a) {
        if (a == null) {
            return "unix:1";
        }
        String host = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** HAProxy's human_time: days, hours, minutes, seconds, the zero leading parts left out ({@code 0s}, {@code 1m5s}). */
    static String humanTime(long seconds) {
        StringBuilder b = new StringBuilder();
        long d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
        if (d > 0) {
            b.append(d).append('d');
        }
        if (d > 0 || h > 0) {
            b.append(h).append('h');
        }
        if (d > 0 || h > 0 || m > 0) {
            b.append(m).append('m');
        }
        return b.append(s).append('s').toString();
    }
}
