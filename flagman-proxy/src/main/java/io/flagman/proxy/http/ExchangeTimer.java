package io.flagman.proxy.http;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one deadline of a client connection, moved from phase to phase of its exchanges (first request, keep-alive
 * idle, request body, response, queue). A single scheduled task is kept: moving the deadline later only writes a
 * field, and the task reschedules itself when it fires early, so a busy keep-alive connection does not touch the
 * event loop's timer queue per request. What a deadline means is the handler's ({@link HttpFrontendHandler#onTimeout}).
 * Confined to the connection's event loop.
 */
final class ExchangeTimer {
    static final int IDLE_FIRST = 1;
    static final int IDLE_KEEPALIVE = 2;
    static final int CLIENT = 3;
    static final int SERVER = 4;
    static final int QUEUE = 5;

    private final HttpFrontendHandler h;
    private final Runnable task = this::onTimer;
    private long deadline = Long.MAX_VALUE;
    private int kind;
    private ScheduledFuture<?> timer;
    private long timerAt;

    ExchangeTimer(HttpFrontendHandler h) {
        this.h = h;
    }

    /** The first positive value, or 0 (no timeout). */
    static long first(long a, long b) {
        return a > 0 ? a : b > 0 ? b : 0;
    }

    static long first(long a, long b, long c) {
        return a > 0 ? a : first(b, c);
    }

    /** Moves the deadline; reschedules only when the new deadline is earlier than the pending timer. */
    void arm(int kind, long millis) {
        if (millis <= 0) {
            deadline = Long.MAX_VALUE;
            return;
        }
        this.kind = kind;
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (timer == null || timerAt > deadline) {
            if (timer != null) {
                timer.cancel(false);
            }
            timerAt = deadline;
            timer = h.ctx.executor().schedule(task, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** No deadline for now; the pending task, if any, stays and does nothing when it fires. */
    void disarm() {
        deadline = Long.MAX_VALUE;
    }

    /**
     * Drops the pending task. A scheduled task keeps the handler, its channel and pipeline reachable until it
     * fires (up to {@code timeout client}, 30 s typically): at thousands of connections per second that retained
     * hundreds of MB and made young collections copy them (70-100 ms pauses in conn/request).
     */
    void cancel() {
        deadline = Long.MAX_VALUE;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void onTimer() {
        timer = null;
        if (deadline == Long.MAX_VALUE || h.phase().finished()) {
            return;
        }
        long now = System.nanoTime();
        if (now < deadline) {
            timerAt = deadline;
            timer = h.ctx.executor().schedule(task, deadline - now, TimeUnit.NANOSECONDS);
            return;
        }
        deadline = Long.MAX_VALUE;
        h.onTimeout(kind);
    }
}
