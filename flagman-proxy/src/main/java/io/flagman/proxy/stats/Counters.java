package io.flagman.proxy.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The statistics counters of one frontend, backend, server or listener, kept per event loop: one {@link Slot} per
 * thread (by {@link LoopIndex}), written only by that thread, summed on read. Nothing on the hot path is shared
 * between loops: {@link #slot} costs two volatile reads (the slot array and the clear generation, on a cache line
 * of their own, see {@link CountersPadBefore}); each event after that is a few stores into the loop's own slot,
 * whose values sit in one padded array (no false sharing with another loop's slot, wherever the GC puts them).
 * Values are written and read with opaque access: a reader on another thread never sees a torn 64-bit value, may
 * see a slot a few events behind, and the fields of a slot need not be consistent with each other at one instant;
 * for statistics that is enough.
 *
 * <p>A {@link Slot} returned by {@link #slot} is good for the event at hand: take it again for the next one (it
 * catches up with a {@link #clear} there), except {@link Slot#leave}, which may be called on a kept slot.
 *
 * <p>{@link #clear}: {@code clear counters} (maxima) and {@code clear counters all} (everything but current
 * gauges) only bump a generation; each loop zeroes its own slot at its next event, and readers count a slot of an
 * older generation as zero, so a clear never races a loop's increment.
 *
 * <p>Counters live by name in the live state (like a server's admin state) and survive applies that keep their
 * object.
 */
public final class Counters extends CountersPadAfter {
    /**
     * False with {@code -Dflagman.counters=off}: the data plane's per-request and per-session counting is skipped
     * (a constant, so the JIT removes it). Only for measuring what counting costs ({@code bench/counters.sh}).
     */
    public static final boolean ENABLED = !"off".equals(System.getProperty("flagman.counters"));

    // Cumulative counters. The ones every exchange touches come first, next to each other in a slot (fewer cache
    // lines per event); the order means nothing else.
    public static final int SESSIONS = 0;
    public static final int BYTES_IN = 1;
    public static final int BYTES_OUT = 2;
    public static final int REQUESTS = 3;
    /** {@code HRSP_1XX + (status / 100 - 1)} for 1xx..5xx; {@link #HRSP_OTHER} otherwise. */
    public static final int HRSP_1XX = 4;
    public static final int HRSP_OTHER = 9;
    public static final int LB_SELECTED = 10;
    public static final int REUSE = 11;
    public static final int CONNECTIONS = 12;
    public static final int CONNECT = 13;
    public static final int DENIED_REQ = 14;
    public static final int DENIED_RESP = 15;
    public static final int REQ_ERRORS = 16;
    public static final int CONN_ERRORS = 17;
    public static final int RESP_ERRORS = 18;
    public static final int RETRIES = 19;
    public static final int REDISPATCHES = 20;
    public static final int INTERCEPTED = 21;
    public static final int DENIED_CONN = 22;
    public static final int DENIED_SESS = 23;
    public static final int CLI_ABORTS = 24;
    public static final int SRV_ABORTS = 25;
    public static final int INTERNAL_ERRORS = 26;
    static final int COUNT = 27;

    // Rates (per second over the last second).
    public static final int RATE_SESSIONS = 0;
    public static final int RATE_REQUESTS = 1;
    public static final int RATE_CONNECTIONS = 2;
    static final int RATES = 3;

    // Times (ms) averaged over the last 1024 samples, as HAProxy's swrate.
    public static final int T_QUEUE = 0;
    public static final int T_CONNECT = 1;
    public static final int T_RESPONSE = 2;
    public static final int T_TOTAL = 3;
    static final int TIMES = 4;
    /** HAProxy's TIME_STATS_SAMPLES. */
    static final int WINDOW = 1024;

    // Layout of Slot.v: padding, the scalars, per rate (end of its second, this second's events, the previous
    // second's, the highest per-second count), the times, the counters, padding. What one exchange touches in a
    // slot spans 5 cache lines.
    private static final int PAD = 16; // 128 bytes: a cache line and its prefetched neighbour
    private static final int GEN = PAD;
    private static final int CUR = GEN + 1;
    private static final int CUR_MAX = GEN + 2;
    private static final int LAST_SESSION = GEN + 3;
    private static final int T_SAMPLES = GEN + 4;
    private static final int RATE = GEN + 5;
    private static final int R_END = 0;
    private static final int R_CUR = 1;
    private static final int R_PREV = 2;
    private static final int R_MAX = 3;
    private static final int T_SUM = RATE + 4 * RATES;
    private static final int T_MAX = T_SUM + TIMES;
    private static final int N = T_MAX + TIMES;
    private static final int LENGTH = N + COUNT + PAD;

    private static final VarHandle V = MethodHandles.arrayElementVarHandle(long[].class);

    private static final long NANOS = 1_000_000_000L;
    /** Seconds of the rates are counted from here. */
    static final long ORIGIN = System.nanoTime();

    /**
     * The slot of loop {@code index} (see {@link LoopIndex}), caught up with the last {@link #clear}; created on
     * first use. For the event at hand.
     */
    public Slot slot(int index) {
        Slot[] s = slots;
        if (index < s.length) {
            Slot mine = s[index];
            if (mine != null) {
                mine.sync(generation);
                return mine;
            }
        }
        return create(index);
    }

    /** The calling thread's slot. */
    public Slot here() {
        return slot(LoopIndex.current());
    }

    private synchronized Slot create(int index) {
        Slot[] s = slots;
        if (index >= s.length) {
            s = Arrays.copyOf(s, Math.max(index + 1, s.length * 2));
        } else if (s[index] != null) {
            s[index].sync(generation);
            return s[index];
        } else {
            s = s.clone();
        }
        Slot mine = new Slot(generation);
        s[index] = mine;
        slots = s;
        return mine;
    }

    /** {@code clear counters} ({@code all} false: maxima and rate maxima) or {@code clear counters all}. */
    public void clear(boolean all) {
        synchronized (this) {
            long g = generation;
            generation = all ? (((g >>> 32) + 1) << 32) | ((g + 1) & 0xffffffffL)
                    : (g & 0xffffffff00000000L) | ((g + 1) & 0xffffffffL);
        }
    }

    /** What all slots add up to now: a consistent-enough view for one row. */
    public Totals read(long nowNanos) {
        Totals t = new Totals();
        long g = generation;
        for (Slot s : slots) {
            if (s == null) {
                continue;
            }
            long[] v = s.v;
            t.current += get(v, CUR);
            long sg = (long) V.getAcquire(v, GEN);
            boolean all = (sg >>> 32) == (g >>> 32);
            boolean max = all && sg == g;
            if (all) {
                for (int i = 0; i < COUNT; i++) {
                    t.n[i] += get(v, N + i);
                }
                for (int i = 0; i < RATES; i++) {
                    t.rate[i] += rateNow(v, RATE + 4 * i, nowNanos);
                }
                for (int i = 0; i < TIMES; i++) {
                    t.timeSum[i] += get(v, T_SUM + i);
                }
                t.timeSamples += Math.min(get(v, T_SAMPLES), WINDOW);
                t.lastSessionNanos = Math.max(t.lastSessionNanos, get(v, LAST_SESSION));
            }
            if (max) {
                t.maxCurrent += get(v, CUR_MAX);
                for (int i = 0; i < RATES; i++) {
                    t.rateMax[i] += rateMax(v, RATE + 4 * i, nowNanos);
                }
                for (int i = 0; i < TIMES; i++) {
                    t.timeMax[i] = Math.max(t.timeMax[i], get(v, T_MAX + i));
                }
            }
        }
        t.maxCurrent = Math.max(t.maxCurrent, t.current);
        return t;
    }

    private static long get(long[] v, int i) {
        return (long) V.getOpaque(v, i);
    }

    /**
     * HAProxy's freq_ctr reading: the events of the current second plus the previous second's, weighted by the
     * part of the current second still to come (events per second over the last second).
     */
    private static long rateNow(long[] v, int r, long now) {
        long late = now - get(v, r + R_END);
        long curr = get(v, r + R_CUR);
        long prev = get(v, r + R_PREV);
        long remaining;
        if (late >= NANOS) {
            return 0;
        } else if (late >= 0) { // the slot's second is over: it is the previous one now
            prev = curr;
            curr = 0;
            remaining = NANOS - late;
        } else {
            remaining = Math.min(NANOS, -late);
        }
        return curr + prev * remaining / NANOS;
    }

    /** The highest per-second count of a rate, the current second's included (its max may not be stored yet). */
    private static long rateMax(long[] v, int r, long now) {
        long max = get(v, r + R_MAX);
        return now - get(v, r + R_END) < 0 ? Math.max(max, get(v, r + R_CUR)) : max;
    }

    /** Summed counters of one object. */
    public static final class Totals {
        final long[] n = new long[COUNT];
        final long[] rate = new long[RATES];
        final long[] rateMax = new long[RATES];
        final long[] timeSum = new long[TIMES];
        final long[] timeMax = new long[TIMES];
        long timeSamples;
        long current;
        long maxCurrent;
        long lastSessionNanos;

        /** A cumulative counter ({@link #REQUESTS}, …). */
        public long count(int counter) {
            return n[counter];
        }

        /** The current gauge (sessions now). */
        public long current() {
            return current;
        }

        /** The maximum of the gauge: the sum of each loop's maximum (exact with one loop, an upper bound else). */
        public long maxCurrent() {
            return maxCurrent;
        }

        /** Events per second over the last second. */
        public long rate(int which) {
            return rate[which];
        }

        /**
         * The highest rate seen, as HAProxy keeps it: the most events counted in one second (the sum of each
         * loop's highest: exact with one loop, an upper bound else), at least the current rate.
         */
        public long rateMax(int which) {
            return Math.max(rateMax[which], rate[which]);
        }

        /** The average in ms over the last 1024 samples (per loop, weighted by their samples), rounded up. */
        public long averageTime(int which) {
            return timeSamples == 0 ? 0 : (timeSum[which] + timeSamples - 1) / timeSamples;
        }

        public long maxTime(int which) {
            return timeMax[which];
        }

        /** {@code System.nanoTime()} of the last session, 0 when none. */
        public long lastSessionNanos() {
            return lastSessionNanos;
        }
    }

    /**
     * One loop's counters, written only by its loop, read by anyone. Got from {@link Counters#slot} for each event
     * (which catches it up with a clear); its methods are a few stores, no division, nothing shared.
     */
    public static final class Slot {
        /** Every value (layout: the constants above), padded at both ends. */
        final long[] v = new long[LENGTH];

        Slot(long gen) {
            v[GEN] = gen;
            for (int i = 0; i < RATES; i++) {
                v[RATE + 4 * i + R_END] = ORIGIN; // the first event starts a second
            } // published through the volatile slot array
        }

        private long at(int i) {
            return v[i]; // only this loop writes: its own plain read is current
        }

        private void put(int i, long value) {
            V.setOpaque(v, i, value);
        }

        void sync(long g) {
            if (g != at(GEN)) {
                renew(g);
            }
        }

        private void renew(long g) {
            long gen = at(GEN);
            if ((g >>> 32) != (gen >>> 32)) {
                for (int i = 0; i < COUNT; i++) {
                    put(N + i, 0);
                }
                for (int i = 0; i < RATES; i++) {
                    put(RATE + 4 * i + R_CUR, 0);
                    put(RATE + 4 * i + R_PREV, 0);
                }
                for (int i = 0; i < TIMES; i++) {
                    put(T_SUM + i, 0);
                }
                put(T_SAMPLES, 0);
                put(LAST_SESSION, 0);
            }
            put(CUR_MAX, at(CUR));
            for (int i = 0; i < RATES; i++) {
                put(RATE + 4 * i + R_MAX, 0);
            }
            for (int i = 0; i < TIMES; i++) {
                put(T_MAX + i, 0);
            }
            V.setRelease(v, GEN, g); // a reader that sees the generation sees the zeroes
        }

        /** Adds one to a cumulative counter. */
        public void inc(int counter) {
            put(N + counter, at(N + counter) + 1);
        }

        public void add(int counter, long value) {
            put(N + counter, at(N + counter) + value);
        }

        /** Bytes both ways. */
        public void bytes(long in, long out) {
            put(N + BYTES_IN, at(N + BYTES_IN) + in);
            put(N + BYTES_OUT, at(N + BYTES_OUT) + out);
        }

        /** One HTTP response of {@code status} (any value; outside 100..599 is "other"). */
        public void response(int status) {
            int c = status / 100;
            inc(c >= 1 && c <= 5 ? HRSP_1XX + c - 1 : HRSP_OTHER);
        }

        /** A session (stream) begins: the gauge goes up, {@code stot} and the session rate count it. */
        public void enter(long nowNanos) {
            inc(SESSIONS);
            put(LAST_SESSION, nowNanos);
            long cur = at(CUR) + 1;
            put(CUR, cur);
            if (cur > at(CUR_MAX)) {
                put(CUR_MAX, cur);
            }
            tick(RATE_SESSIONS, nowNanos);
        }

        /** The session ends (on a slot kept since {@link #enter}: the gauge is not cleared). */
        public void leave() {
            put(CUR, at(CUR) - 1);
        }

        /**
         * Counts an event of rate {@code which}: one compare with the end of the current second (a division only
         * when a second is over), one increment, and the maximum as HAProxy keeps it (the most events in one
         * second).
         */
        public void tick(int which, long nowNanos) {
            int r = RATE + 4 * which;
            long end = at(r + R_END);
            if (nowNanos - end >= 0) {
                roll(r, nowNanos, end);
            }
            long c = at(r + R_CUR) + 1;
            put(r + R_CUR, c);
            if (c > at(r + R_MAX)) {
                put(r + R_MAX, c);
            }
        }

        /** The second ending at {@code end} is over at {@code now}: it becomes the previous one (if adjacent). */
        private void roll(int r, long now, long end) {
            long late = now - end;
            put(r + R_PREV, late < NANOS ? at(r + R_CUR) : 0);
            put(r + R_CUR, 0);
            put(r + R_END, end + (late / NANOS + 1) * NANOS);
        }

        /**
         * One request's times in ms (-1: not measured, counted as 0 as HAProxy does once the stream reached the
         * server): queue, connect, response, total.
         */
        public void times(long queue, long connect, long response, long total) {
            long samples = at(T_SAMPLES);
            sample(T_QUEUE, queue, samples);
            sample(T_CONNECT, connect, samples);
            sample(T_RESPONSE, response, samples);
            sample(T_TOTAL, total, samples);
            if (samples < WINDOW) {
                put(T_SAMPLES, samples + 1);
            }
        }

        private void sample(int which, long ms, long samples) {
            long x = Math.max(0, ms);
            long sum = at(T_SUM + which);
            // HAProxy's swrate_add_dynamic: a plain sum until the window is full, then a sliding one.
            put(T_SUM + which, samples < WINDOW ? sum + x : sum - (sum + WINDOW - 1) / WINDOW + x);
            if (x > at(T_MAX + which)) {
                put(T_MAX + which, x);
            }
        }
    }
}
