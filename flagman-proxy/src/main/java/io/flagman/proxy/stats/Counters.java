package io.flagman.proxy.stats;

import java.util.Arrays;

/**
 * The statistics counters of one frontend, backend, server or listener, kept per event loop: one {@link Slot} per
 * thread (by {@link LoopIndex}), written only by that thread with plain stores, summed on read. Nothing on the hot
 * path is shared between loops: an event costs a few stores into the loop's own slot and one volatile read (the
 * clear generation). A reader on another thread may see a slot a few events behind, and the fields of a slot need
 * not be consistent with each other at one instant; for statistics that is enough.
 *
 * <p>{@link #clear}: {@code clear counters} (maxima) and {@code clear counters all} (everything but current
 * gauges) only bump a generation; each loop zeroes its own slot at its next event, and readers count a slot of an
 * older generation as zero, so a clear never races a loop's increment.
 *
 * <p>Counters live by name in the live state (like a server's admin state) and survive applies that keep their
 * object.
 */
public final class Counters {
    /**
     * False with {@code -Dflagman.counters=off}: the data plane's per-request and per-session counting is skipped
     * (a constant, so the JIT removes it). Only for measuring what counting costs ({@code bench/counters.sh}).
     */
    public static final boolean ENABLED = !"off".equals(System.getProperty("flagman.counters"));

    // Cumulative counters, indices of Slot.n.
    public static final int SESSIONS = 0;
    public static final int BYTES_IN = 1;
    public static final int BYTES_OUT = 2;
    public static final int DENIED_REQ = 3;
    public static final int DENIED_RESP = 4;
    public static final int REQ_ERRORS = 5;
    public static final int CONN_ERRORS = 6;
    public static final int RESP_ERRORS = 7;
    public static final int RETRIES = 8;
    public static final int REDISPATCHES = 9;
    public static final int REQUESTS = 10;
    /** {@code HRSP_1XX + (status / 100 - 1)} for 1xx..5xx; {@link #HRSP_OTHER} otherwise. */
    public static final int HRSP_1XX = 11;
    public static final int HRSP_OTHER = 16;
    public static final int CONNECTIONS = 17;
    public static final int INTERCEPTED = 18;
    public static final int DENIED_CONN = 19;
    public static final int DENIED_SESS = 20;
    public static final int LB_SELECTED = 21;
    public static final int CONNECT = 22;
    public static final int REUSE = 23;
    public static final int CLI_ABORTS = 24;
    public static final int SRV_ABORTS = 25;
    public static final int INTERNAL_ERRORS = 26;
    static final int COUNT = 27;

    // Rates (per second over the last second), indices of the rate arrays.
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

    private static final long NANOS = 1_000_000_000L;
    private static final long ORIGIN = System.nanoTime();

    private volatile Slot[] slots = new Slot[0];
    /** High 32 bits: clears of everything; low 32 bits: clears of maxima. */
    private volatile long generation;

    /** The slot of loop {@code index} (see {@link LoopIndex}); created on first use. */
    public Slot slot(int index) {
        Slot[] s = slots;
        if (index < s.length) {
            Slot mine = s[index];
            if (mine != null) {
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
            return s[index];
        } else {
            s = s.clone();
        }
        Slot mine = new Slot(this, generation);
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

    static long second(long nanos) {
        return (nanos - ORIGIN) / NANOS;
    }

    /** What all slots add up to now: a consistent-enough view for one row. */
    public Totals read(long nowNanos) {
        Totals t = new Totals();
        long g = generation;
        long sec = second(nowNanos);
        long inSecond = (nanos(nowNanos)) % NANOS;
        for (Slot s : slots) {
            if (s == null) {
                continue;
            }
            t.current += s.cur;
            long sg = s.gen;
            boolean all = (sg >>> 32) == (g >>> 32);
            boolean max = all && sg == g;
            if (all) {
                for (int i = 0; i < COUNT; i++) {
                    t.n[i] += s.n[i];
                }
                for (int i = 0; i < RATES; i++) {
                    t.rate[i] += s.rateNow(i, sec, inSecond);
                }
                for (int i = 0; i < TIMES; i++) {
                    t.timeSum[i] += s.tSum[i];
                }
                t.timeSamples += Math.min(s.tSamples, WINDOW);
                t.lastSessionNanos = Math.max(t.lastSessionNanos, s.lastSession);
            }
            if (max) {
                t.maxCurrent += s.curMax;
                for (int i = 0; i < RATES; i++) {
                    t.rateMax[i] += s.rateMax[i];
                }
                for (int i = 0; i < TIMES; i++) {
                    t.timeMax[i] = Math.max(t.timeMax[i], s.tMax[i]);
                }
            }
        }
        t.maxCurrent = Math.max(t.maxCurrent, t.current);
        return t;
    }

    private static long nanos(long nowNanos) {
        return nowNanos - ORIGIN;
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

        /** The highest rate seen: the sum of each loop's highest (exact with one loop, an upper bound else). */
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
     * One loop's counters. Written only by its loop (each method first catches up with a clear), read by anyone.
     */
    public static final class Slot {
        private final Counters owner;
        long gen;
        final long[] n = new long[COUNT];
        long cur;
        long curMax;
        final long[] rateSec = new long[RATES];
        final long[] rateCur = new long[RATES];
        final long[] ratePrev = new long[RATES];
        final long[] rateMax = new long[RATES];
        final long[] tSum = new long[TIMES];
        final long[] tMax = new long[TIMES];
        long tSamples;
        long lastSession;

        Slot(Counters owner, long gen) {
            this.owner = owner;
            this.gen = gen;
        }

        private void sync() {
            long g = owner.generation;
            if (g != gen) {
                renew(g);
            }
        }

        private void renew(long g) {
            if ((g >>> 32) != (gen >>> 32)) {
                Arrays.fill(n, 0);
                Arrays.fill(rateCur, 0);
                Arrays.fill(ratePrev, 0);
                Arrays.fill(tSum, 0);
                tSamples = 0;
                lastSession = 0;
            }
            curMax = cur;
            Arrays.fill(rateMax, 0);
            Arrays.fill(tMax, 0);
            gen = g;
        }

        /** Adds one to a cumulative counter. */
        public void inc(int counter) {
            sync();
            n[counter]++;
        }

        public void add(int counter, long value) {
            sync();
            n[counter] += value;
        }

        /** Bytes both ways. */
        public void bytes(long in, long out) {
            sync();
            n[BYTES_IN] += in;
            n[BYTES_OUT] += out;
        }

        /** One HTTP response of {@code status} (any value; outside 100..599 is "other"). */
        public void response(int status) {
            sync();
            int c = status / 100;
            n[c >= 1 && c <= 5 ? HRSP_1XX + c - 1 : HRSP_OTHER]++;
        }

        /** A session (stream) begins: the gauge goes up, {@code stot} and the session rate count it. */
        public void enter(long nowNanos) {
            sync();
            n[SESSIONS]++;
            lastSession = nowNanos;
            if (++cur > curMax) {
                curMax = cur;
            }
            tick(RATE_SESSIONS, nowNanos);
        }

        /** The session ends. */
        public void leave() {
            cur--;
        }

        /** Counts an event of rate {@code which} and updates its maximum. */
        public void tick(int which, long nowNanos) {
            sync();
            long sec = second(nowNanos);
            long s = rateSec[which];
            if (sec != s) {
                ratePrev[which] = sec == s + 1 ? rateCur[which] : 0;
                rateCur[which] = 0;
                rateSec[which] = sec;
            }
            rateCur[which]++;
            long r = rateNow(which, sec, nanos(nowNanos) % NANOS);
            if (r > rateMax[which]) {
                rateMax[which] = r;
            }
        }

        /** HAProxy's freq_ctr reading: this second's events plus the previous second's, weighted by what is left. */
        long rateNow(int which, long sec, long inSecond) {
            long s = rateSec[which];
            long curr = rateCur[which];
            long prev = ratePrev[which];
            if (s == sec - 1) {
                prev = curr;
                curr = 0;
            } else if (s != sec) {
                return 0;
            }
            return curr + (prev * (NANOS - inSecond)) / NANOS;
        }

        /**
         * One request's times in ms (-1: not measured, counted as 0 as HAProxy does once the stream reached the
         * server): queue, connect, response, total.
         */
        public void times(long queue, long connect, long response, long total) {
            sync();
            sample(T_QUEUE, queue);
            sample(T_CONNECT, connect);
            sample(T_RESPONSE, response);
            sample(T_TOTAL, total);
            if (tSamples < WINDOW) {
                tSamples++;
            }
        }

        private void sample(int which, long ms) {
            long v = Math.max(0, ms);
            long sum = tSum[which];
            // HAProxy's swrate_add_dynamic: a plain sum until the window is full, then a sliding one.
            tSum[which] = tSamples < WINDOW ? sum + v : sum - (sum + WINDOW - 1) / WINDOW + v;
            if (v > tMax[which]) {
                tMax[which] = v;
            }
        }
    }
}
