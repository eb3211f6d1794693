package io.flagman.proxy.listen;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connection admission for the whole process: {@code global maxconn} across every listener, a frontend's
 * {@code maxconn} across all its binds, and a bind's own {@code maxconn}. At a limit, listeners stop accepting, as HAProxy does: further clients wait
 * in the kernel's accept queue and are served as soon as a connection ends. Connections already accepted in the
 * same accept burst wait, unread, in their listener's queue and take the next free slot.
 *
 * <p>One monitor guards every count: admission happens once per connection, on accept and on close, from
 * several event loops, and is a few field updates.
 */
final class ConnectionSlots {
    private int max;
    private int active;
    private Map<String, Integer> frontendMax = Map.of();
    // Counted under the frontend a connection was admitted for, even if its bind moves to another one later.
    private final Map<String, Integer> frontendActive = new HashMap<>();
    // Listeners in order of opening; each with the connections waiting for one of its slots.
    private final Map<Listener, ArrayDeque<Waiter>> waiting = new LinkedHashMap<>();

    /** A connection waiting for a slot, and the frontend it will count under. */
    private record Waiter(String frontend, Runnable start) {}

    /** {@code global maxconn} and each frontend's {@code maxconn}; 0 = unlimited. */
    synchronized void setLimits(int globalMax, Map<String, Integer> perFrontend) {
        this.max = globalMax;
        this.frontendMax = Map.copyOf(perFrontend);
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

    /**
     * Takes a slot on {@code l} for a new connection, or queues {@code start} until one frees. Returns true when
     * the caller may start the connection now.
     */
    synchronized boolean admit(Listener l, String frontend, Runnable start) {
        ArrayDeque<Waiter> queue = waiting.get(l);
        if (!hasRoom(l, frontend) || (queue != null && !queue.isEmpty())) {
            if (queue == null) {
                return false; // the listener is closing: the caller closes the connection
            }
            queue.add(new Waiter(frontend, start));
            refresh();
            return false;
        }
        take(l, frontend);
        refresh();
        return true;
    }

    /** A connection that held a slot on {@code l}, counted under {@code frontend}, ended. */
    void release(Listener l, String frontend) {
        ArrayDeque<Runnable> started = new ArrayDeque<>();
        synchronized (this) {
            active--;
            l.active.decrementAndGet();
            frontendActive.merge(frontend, -1, (a, b) -> a + b == 0 ? null : a + b); // no entry at zero
            collectStartable(started);
            refresh();
        }
        // Started outside the monitor: each hops to its connection's event loop.
        started.forEach(Runnable::run);
    }

    /** A waiting connection went away before it got a slot. */
    synchronized void forget(Listener l, Runnable start) {
        ArrayDeque<Waiter> queue = waiting.get(l);
        if (queue != null) {
            queue.removeIf(w -> w.start() == start);
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
        for (Map.Entry<Listener, ArrayDeque<Waiter>> e : waiting.entrySet()) {
            Listener l = e.getKey();
            ArrayDeque<Waiter> queue = e.getValue();
            while (!queue.isEmpty() && hasRoom(l, queue.peek().frontend())) {
                Waiter w = queue.poll();
                take(l, w.frontend());
                out.add(w.start());
            }
        }
    }

    private boolean hasRoom(Listener l, String frontend) {
        int own = l.maxconn();
        int fe = frontendMax.getOrDefault(frontend, 0);
        return (max <= 0 || active < max) && (own <= 0 || l.active.get() < own)
                && (fe <= 0 || frontendActive.getOrDefault(frontend, 0) < fe);
    }

    private void take(Listener l, String frontend) {
        active++;
        l.active.incrementAndGet();
        frontendActive.merge(frontend, 1, Integer::sum);
    }

    /** Accept only where a new connection could start at once. */
    private void refresh() {
        for (Map.Entry<Listener, ArrayDeque<Waiter>> e : waiting.entrySet()) {
            Listener l = e.getKey();
            l.accepting(hasRoom(l, l.frontendName()) && e.getValue().isEmpty());
        }
    }
}
