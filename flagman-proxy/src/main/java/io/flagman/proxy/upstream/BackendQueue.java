package io.flagman.proxy.upstream;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests waiting because every usable server of a backend is at its {@code maxconn}. Live state (it
 * outlives snapshots, keyed by backend name). Any event loop may enqueue; a server releasing a slot wakes the
 * oldest waiter on the waiter's own event loop, where it tries to pick a server again.
 */
public final class BackendQueue {
    /** One queued request. {@link #dequeued()} runs on {@link #eventLoop()}. */
    public interface Waiter {
        EventLoop eventLoop();

        /** True once the waiter gave up (timeout, client gone); a cancelled waiter is skipped. */
        boolean cancelled();

        void dequeued();
    }

    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    // The longest the queue was since the last clear ({@code qmax}); enqueueing is rare (servers at maxconn).
    private volatile int max;

    public void enqueue(Waiter w) {
        waiters.add(w);
        int n = size.incrementAndGet();
        if (n > max) {
            max = n;
        }
    }

    /** {@code qmax}: the most requests queued at once since the last {@code clear counters}. */
    public int maxSize() {
        return Math.max(max, size());
    }

    /** {@code clear counters}: the maximum restarts from the current size. */
    public void clearMax() {
        max = size();
    }

    /** Wakes the oldest live waiter, if any. Called after a server slot was released. */
    public void wakeOne() {
        Waiter w;
        while ((w = waiters.poll()) != null) {
            size.decrementAndGet();
            if (!w.cancelled()) {
                Waiter chosen = w;
                chosen.eventLoop().execute(chosen::dequeued);
                return;
            }
        }
    }

    public boolean isEmpty() {
        return size.get() <= 0;
    }

    public int size() {
        return Math.max(0, size.get());
    }
}
