package io.flagman.proxy.listen;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connection admission for the whole process: {@code global maxconn} across every listener, and each bind's
 * (or its frontend's) {@code maxconn}. At a limit, listeners stop accepting, as HAProxy does: further clients wait
 * in the kernel's accept queue and are served as soon as a connection ends. Connections already accepted in the
 * same accept burst wait, unread, in their listener's queue and take the next free slot.
 *
 * <p>One monitor guards every count: admission happens once per connection, on accept and on close, from
 * several event loops, and is a few field updates.
 */
final class ConnectionSlots {
    private int max;
    private int active;
    // Listeners in order of opening; each with the connections waiting for one of its slots.
    private final Map<Listener, ArrayDeque<Runnable>> waiting = new LinkedHashMap<>();

    /** {@code global maxconn}; 0 = unlimited. */
    synchronized void setMax(int max) {
        this.max = max;
        startWaiters();
        refresh();
    }

    synchronized void register(Listener l) {
        waiting.putIfAbsent(l, new ArrayDeque<>());
        refresh();
    }

    synchronized void unregister(Listener l) {
        waiting.remove(l);
    }

    /** The listener's limit changed (it moved to another frontend, or its frontend's maxconn changed). */
    synchronized void limitChanged() {
        startWaiters();
        refresh();
    }

    /**
     * Takes a slot on {@code l} for a new connection, or queues {@code start} until one frees. Returns true when
     * the caller may start the connection now.
     */
    synchronized boolean admit(Listener l, Runnable start) {
        ArrayDeque<Runnable> queue = waiting.get(l);
        if (!hasRoom(l) || (queue != null && !queue.isEmpty())) {
            if (queue == null) {
                return false; // the listener is closing: the caller closes the connection
            }
            queue.add(start);
            refresh();
            return false;
        }
        take(l);
        refresh();
        return true;
    }

    /** A connection that held a slot on {@code l} ended. */
    void release(Listener l) {
        ArrayDeque<Runnable> started = new ArrayDeque<>();
        synchronized (this) {
            active--;
            l.active.decrementAndGet();
            collectStartable(started);
            refresh();
        }
        // Started outside the monitor: each hops to its connection's event loop.
        started.forEach(Runnable::run);
    }

    /** A waiting connection went away before it got a slot. */
    synchronized void forget(Listener l, Runnable start) {
        ArrayDeque<Runnable> queue = waiting.get(l);
        if (queue != null) {
            queue.remove(start);
        }
        refresh();
    }

    synchronized int active() {
        return active;
    }

    private void startWaiters() {
        ArrayDeque<Runnable> started = new ArrayDeque<>();
        collectStartable(started);
        // Runnables only schedule work on event loops, so running them under the monitor cannot re-enter it.
        started.forEach(Runnable::run);
    }

    private void collectStartable(ArrayDeque<Runnable> out) {
        for (Map.Entry<Listener, ArrayDeque<Runnable>> e : waiting.entrySet()) {
            Listener l = e.getKey();
            ArrayDeque<Runnable> queue = e.getValue();
            while (!queue.isEmpty() && hasRoom(l)) {
                take(l);
                out.add(queue.poll());
            }
        }
    }

    private boolean hasRoom(Listener l) {
        int own = l.maxconn();
        return (max <= 0 || active < max) && (own <= 0 || l.active.get() < own);
    }

    private void take(Listener l) {
        active++;
        l.active.incrementAndGet();
    }

    /** Accept only where a new connection could start at once. */
    private void refresh() {
        for (Map.Entry<Listener, ArrayDeque<Runnable>> e : waiting.entrySet()) {
            e.getKey().accepting(hasRoom(e.getKey()) && e.getValue().isEmpty());
        }
    }
}
