package io.flagman.proxy.stats;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small dense number per thread (0, 1, 2, … in order of first use), the index of that thread's {@link Counters}
 * slot. On Netty's event-loop threads the lookup is an indexed read ({@link FastThreadLocal}); handlers resolve it
 * once per connection and keep it.
 */
public final class LoopIndex {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final FastThreadLocal<Integer> INDEX = new FastThreadLocal<>() {
        @Override
        protected Integer initialValue() {
            return NEXT.getAndIncrement();
        }
    };

    private LoopIndex() {}

    /** The calling thread's index. */
    public static int current() {
        return INDEX.get();
    }
}
