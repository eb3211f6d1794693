package io.flagman.bench;

import io.flagman.proxy.stats.Counters;
import io.flagman.proxy.stats.ExchangeCount;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The statistics counting of one keep-alive HTTP exchange, as the data plane does it when the exchange ends
 * ({@link ExchangeCount}: frontend, backend and server, a 200 on a reused server connection, times measured) and
 * when it is routed (the backend's session): the whole per-request cost of counters on, since with
 * {@code -Dflagman.counters=off} the JIT removes it. Each JMH thread is one event loop with its own slot index on
 * the same counters, as the data plane's loops share one frontend, backend and server. The clock is the loop's
 * own, 20 µs per exchange (50,000 requests per second per loop, so rates roll over a second every 50,000
 * operations): the data plane reads {@code System.nanoTime()} anyway (for the log), and reading it here would
 * measure the clock, not the counting. {@link #off} is what is left with counters off: the clock alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CountersBench {
    /** One frontend, backend and server, shared by all loops. */
    @State(Scope.Benchmark)
    public static class Proxy {
        final Counters frontend = new Counters();
        final Counters backend = new Counters();
        final Counters server = new Counters();
        final AtomicInteger loops = new AtomicInteger();
    }

    /** One event loop. */
    @State(Scope.Thread)
    public static class Loop {
        int index = -1;
        long now = System.nanoTime();

        int index(Proxy p) {
            if (index < 0) {
                index = p.loops.getAndIncrement();
            }
            return index;
        }
    }

    @Benchmark
    public long off(Loop l) {
        return l.now += 20_000;
    }

    @Benchmark
    public long exchange(Proxy p, Loop l) {
        int loop = l.index(p);
        long start = l.now += 10_000;
        ExchangeCount.routed(p.backend, loop, start);
        long now = l.now += 10_000;
        ExchangeCount.finished(loop, now, p.frontend, null, p.backend, p.server, 200, 78, 120,
                ExchangeCount.REUSED | ExchangeCount.TIMED, -1, 0, 0, 0);
        return now;
    }
}
