package io.flagman.proxy.http;

import io.flagman.proxy.listen.ClientConnection;
import io.flagman.proxy.log.AccessLog;
import io.flagman.proxy.log.Connections;
import io.flagman.proxy.log.HttpLogEntry;
import io.flagman.proxy.log.TcpLogEntry;
import io.flagman.proxy.upstream.ServerEndpoint;
import java.util.List;

/**
 * Builds {@code option httplog} / {@code option tcplog} entries from an exchange or a TCP session and renders
 * them with {@link AccessLog} (HAProxy's formats). Runs on the event loop; the line goes to a non-blocking sink.
 */
public final class HttpLog {
    private HttpLog() {}

    static String httpLine(HttpExchange ex, long endNanos, int feConns) {
        long tw = ex.queueNanos < 0 ? -1 : ms(ex.queueNanos - ex.startNanos);
        long tc = ex.connectNanos < 0 ? (ex.reused && ex.queueNanos >= 0 ? 0 : -1)
                : ms(ex.connectNanos - Math.max(ex.startNanos, ex.queueNanos));
        long base = ex.connectNanos >= 0 ? ex.connectNanos : ex.queueNanos;
        long tr = ex.responseNanos < 0 || base < 0 ? -1 : ms(ex.responseNanos - base);
        ServerEndpoint s = ex.server;
        String term = "" + ex.termination + ex.termState + "--";
        return AccessLog.httpLine(new HttpLogEntry(ex.cc.source(), ex.startMillis, ex.frontend.name(),
                ex.cc.isSsl(), ex.backend == null ? null : ex.backend.name(), s == null ? null : s.name(), 0, tw, tc,
                tr, ms(endNanos - ex.startNanos), ex.status, ex.bytesOut, term.equals("----") ? null : term,
                new Connections(feConns, feConns, ex.backend == null ? 0 : 1, s == null ? 0 : s.activeConnections()),
                ex.attempts, ex.excluded != null, 0, ex.backend == null ? 0 : ex.backend.queue().size(),
                ex.method + " " + ex.uri + " " + ex.version, List.of(), List.of()));
    }

    /** {@code option tcplog}: {@code %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq}. */
    public static String tcpLine(ClientConnection cc, String frontend, String backend, String server, long tw,
            long tc, long tt, long bytes, String termination, int feConns, int srvConns, int retries) {
        return AccessLog.tcpLine(new TcpLogEntry(cc.source(), cc.acceptMillis(), frontend, cc.isSsl(), backend,
                server, tw, tc, tt, bytes, termination.equals("--") ? null : termination,
                new Connections(feConns, feConns, backend == null ? 0 : 1, srvConns), retries, false, 0, 0));
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
