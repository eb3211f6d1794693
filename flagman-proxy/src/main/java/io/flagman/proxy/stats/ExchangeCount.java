package io.flagman.proxy.stats;

/**
 * What one finished HTTP exchange adds to its frontend, listener, backend and server counters, on the calling
 * event loop's slots: requests and their rate, responses by class, bytes, denials, request errors, local answers,
 * aborts, reuses, server selections and the queue/connect/response/total times. The data plane's
 * {@code ExchangeStats} reads these facts off the exchange; {@code bench/counters-jmh.sh} measures this path.
 */
public final class ExchangeCount {
    /** Denied by a rule ({@code http-request deny}): {@code dreq}. */
    public static final int DENIED = 1;
    /** A bad request ({@code PR} termination, not a denial): {@code ereq}. */
    public static final int REQUEST_ERROR = 2;
    /** Answered by the proxy itself ({@code LR}): {@code intercepted}. */
    public static final int INTERCEPTED = 4;
    /** Aborted by the client: {@code cli_abrt}. */
    public static final int CLIENT_ABORT = 8;
    /** Aborted by the server during the data phase: {@code srv_abrt}. */
    public static final int SERVER_ABORT = 16;
    /** Sent on a reused server connection: {@code reuse}. */
    public static final int REUSED = 32;
    /** The server answered: the times count. */
    public static final int TIMED = 64;

    private ExchangeCount() {}

    /** A routed exchange begins on {@code backend}: its session gauge, total and rate. */
    public static void routed(Counters backend, int loop, long nowNanos) {
        backend.slot(loop).enter(nowNanos);
    }

    /**
     * Counts one finished exchange.
     *
     * @param listener the listener's counters with {@code option socket-stats}, else null
     * @param backend null when the exchange never reached a backend
     * @param server null when no server was selected
     * @param status the HTTP status sent, 0 or less for none
     * @param flags {@link #DENIED}, {@link #REQUEST_ERROR}, …
     * @param tw queue, connect, response and total times in ms (-1: not measured)
     */
    public static void finished(int loop, long nowNanos, Counters frontend, Counters listener, Counters backend,
            Counters server, int status, long in, long out, int flags, long tw, long tc, long tr, long tt) {
        Counters.Slot fe = frontend.slot(loop);
        fe.inc(Counters.REQUESTS);
        fe.tick(Counters.RATE_REQUESTS, nowNanos);
        if (status > 0) {
            fe.response(status);
        }
        fe.bytes(in, out);
        if ((flags & DENIED) != 0) {
            fe.inc(Counters.DENIED_REQ);
        } else if ((flags & REQUEST_ERROR) != 0) {
            fe.inc(Counters.REQ_ERRORS);
        } else if ((flags & INTERCEPTED) != 0) {
            fe.inc(Counters.INTERCEPTED);
        }
        if (listener != null) {
            Counters.Slot l = listener.slot(loop);
            l.bytes(in, out);
            if ((flags & DENIED) != 0) {
                l.inc(Counters.DENIED_REQ);
            } else if ((flags & REQUEST_ERROR) != 0) {
                l.inc(Counters.REQ_ERRORS);
            }
        }
        if (backend == null) {
            return;
        }
        Counters.Slot be = backend.slot(loop);
        be.leave();
        count(be, status, in, out, flags, tw, tc, tr, tt);
        if (server != null) {
            Counters.Slot sv = server.slot(loop);
            sv.enter(nowNanos);
            sv.leave();
            sv.inc(Counters.LB_SELECTED);
            be.inc(Counters.LB_SELECTED);
            if ((flags & REUSED) != 0) {
                sv.inc(Counters.REUSE);
                be.inc(Counters.REUSE);
            }
            count(sv, status, in, out, flags, tw, tc, tr, tt);
        }
    }

    private static void count(Counters.Slot c, int status, long in, long out, int flags, long tw, long tc, long tr,
            long tt) {
        c.inc(Counters.REQUESTS);
        if (status > 0) {
            c.response(status);
        }
        c.bytes(in, out);
        if ((flags & DENIED) != 0) {
            c.inc(Counters.DENIED_REQ);
        }
        if ((flags & CLIENT_ABORT) != 0) {
            c.inc(Counters.CLI_ABORTS);
        } else if ((flags & SERVER_ABORT) != 0) {
            c.inc(Counters.SRV_ABORTS);
        }
        if ((flags & TIMED) != 0) {
            c.times(tw, tc, tr, tt);
        }
    }
}
