package io.flagman.proxy.http;

import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.stats.Counters;
import io.flagman.proxy.upstream.ServerEndpoint;

/**
 * Counts a finished exchange on its frontend, backend and server, into the slots of the connection's event loop
 * (plain stores, nothing shared with other loops): requests and their rate, responses by class, bytes, denials,
 * request errors, local answers, aborts, and the queue/connect/response/total times. Reads the same fields the
 * access log does. On the connection's loop.
 */
final class ExchangeStats {
    private ExchangeStats() {}

    /** A routed exchange begins on {@code backend}: its session gauge, total and rate. */
    static void routed(BackendRuntime backend, int loop, long nowNanos) {
        if (!Counters.ENABLED) {
            return;
        }
        backend.counters().slot(loop).enter(nowNanos);
    }

    static void finished(HttpExchange ex, int loop, long nowNanos) {
        if (!Counters.ENABLED) {
            return;
        }
        int status = ex.status;
        long in = Math.max(0, ex.received); // as the decoder read it: head, body and chunk framing
        long out = ex.bytesOut;
        boolean requestError = ex.termination == 'P' && ex.termState == 'R' && !ex.denied;
        Counters.Slot fe = ex.frontend.counters().slot(loop);
        fe.inc(Counters.REQUESTS);
        fe.tick(Counters.RATE_REQUESTS, nowNanos);
        if (status > 0) {
            fe.response(status);
        }
        fe.bytes(in, out);
        if (ex.denied) {
            fe.inc(Counters.DENIED_REQ);
        } else if (requestError) {
            fe.inc(Counters.REQ_ERRORS);
        } else if (ex.termination == 'L') {
            fe.inc(Counters.INTERCEPTED);
        }
        if (ex.frontend.socketStats()) {
            listener(ex.cc.listener().counters().slot(loop), ex, in, out, requestError);
        }
        BackendRuntime br = ex.backend;
        if (br == null) {
            return;
        }
        ServerEndpoint s = ex.server;
        long tw = ex.queueNanos < 0 ? -1 : ms(ex.queueNanos - ex.startNanos);
        long tc = ex.connectNanos < 0 ? (ex.reused && ex.queueNanos >= 0 ? 0 : -1)
                : ms(ex.connectNanos - Math.max(ex.startNanos, ex.queueNanos));
        long base = ex.connectNanos >= 0 ? ex.connectNanos : ex.queueNanos;
        long tr = ex.responseNanos < 0 || base < 0 ? -1 : ms(ex.responseNanos - base);
        long tt = ms(nowNanos - ex.startNanos);
        boolean timed = s != null && tr >= 0;
        Counters.Slot be = br.counters().slot(loop);
        be.leave();
        count(be, ex, status, in, out, timed, tw, tc, tr, tt);
        if (s != null) {
            Counters.Slot sv = s.state().counters().slot(loop);
            sv.enter(nowNanos);
            sv.leave();
            sv.inc(Counters.LB_SELECTED);
            if (ex.reused) {
                sv.inc(Counters.REUSE);
            }
            count(sv, ex, status, in, out, timed, tw, tc, tr, tt);
            be.inc(Counters.LB_SELECTED);
            if (ex.reused) {
                be.inc(Counters.REUSE);
            }
        }
    }

    private static void listener(Counters.Slot l, HttpExchange ex, long in, long out, boolean requestError) {
        l.bytes(in, out);
        if (ex.denied) {
            l.inc(Counters.DENIED_REQ);
        } else if (requestError) {
            l.inc(Counters.REQ_ERRORS);
        }
    }

    private static void count(Counters.Slot c, HttpExchange ex, int status, long in, long out, boolean timed,
            long tw, long tc, long tr, long tt) {
        c.inc(Counters.REQUESTS);
        if (status > 0) {
            c.response(status);
        }
        c.bytes(in, out);
        if (ex.denied) {
            c.inc(Counters.DENIED_REQ);
        }
        if (ex.termination == 'C') {
            c.inc(Counters.CLI_ABORTS);
        } else if (ex.termination == 'S' && ex.termState == 'D') {
            c.inc(Counters.SRV_ABORTS);
        }
        if (timed) {
            c.times(tw, tc, tr, tt);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
