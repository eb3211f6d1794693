package io.flagman.proxy.http;

import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.stats.Counters;
import io.flagman.proxy.stats.ExchangeCount;
import io.flagman.proxy.upstream.ServerEndpoint;

/**
 * Counts a finished exchange on its frontend, backend and server ({@link ExchangeCount}, into the slots of the
 * connection's event loop): reads the facts off the exchange, the same fields the access log does. On the
 * connection's loop.
 */
final class ExchangeStats {
    private ExchangeStats() {}

    /** A routed exchange begins on {@code backend}: its session gauge, total and rate. */
    static void routed(BackendRuntime backend, int loop, long nowNanos) {
        if (!Counters.ENABLED) {
            return;
        }
        ExchangeCount.routed(backend.counters(), loop, nowNanos);
    }

    static void finished(HttpExchange ex, int loop, long nowNanos) {
        if (!Counters.ENABLED) {
            return;
        }
        long in = Math.max(0, ex.received); // as the decoder read it: head, body and chunk framing
        boolean requestError = ex.termination == 'P' && ex.termState == 'R' && !ex.denied;
        int flags = (ex.denied ? ExchangeCount.DENIED : 0)
                | (requestError ? ExchangeCount.REQUEST_ERROR : 0)
                | (ex.termination == 'L' ? ExchangeCount.INTERCEPTED : 0)
                | (ex.termination == 'C' ? ExchangeCount.CLIENT_ABORT : 0)
                | (ex.termination == 'S' && ex.termState == 'D' ? ExchangeCount.SERVER_ABORT : 0)
                | (ex.reused ? ExchangeCount.REUSED : 0);
        Counters listener = ex.frontend.socketStats() ? ex.cc.listener().counters() : null;
        BackendRuntime br = ex.backend;
        if (br == null) {
            ExchangeCount.finished(loop, nowNanos, ex.frontend.counters(), listener, null, null, ex.status, in,
                    ex.bytesOut, flags, -1, -1, -1, -1);
            return;
        }
        ServerEndpoint s = ex.server;
        long tw = ex.queueNanos < 0 ? -1 : ms(ex.queueNanos - ex.startNanos);
        long tc = ex.connectNanos < 0 ? (ex.reused && ex.queueNanos >= 0 ? 0 : -1)
                : ms(ex.connectNanos - Math.max(ex.startNanos, ex.queueNanos));
        long base = ex.connectNanos >= 0 ? ex.connectNanos : ex.queueNanos;
        long tr = ex.responseNanos < 0 || base < 0 ? -1 : ms(ex.responseNanos - base);
        long tt = ms(nowNanos - ex.startNanos);
        if (s != null && tr >= 0) {
            flags |= ExchangeCount.TIMED;
        }
        ExchangeCount.finished(loop, nowNanos, ex.frontend.counters(), listener, br.counters(),
                s == null ? null : s.state().counters(), ex.status, in, ex.bytesOut, flags, tw, tc, tr, tt);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
