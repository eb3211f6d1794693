package io.flagman.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idle keep-alive connections to one server, partitioned by event loop (HAProxy's per-thread idle lists).
 * A partition is read and written only by its own event loop, so the deques need no lock; the map itself is
 * concurrent because partitions are created lazily. Connections are tagged with the address they were opened
 * to; a connection whose address no longer matches is closed instead of reused.
 *
 * <p>As HAProxy, a partition tells idle connections that carried one request ({@code idle_conn_cur},
 * {@code unsafe_nb}) from those that carried more and so proved reusable ({@code safe_conn_cur},
 * {@code safe_nb}); a request takes a safe one first.
 */
public final class ConnectionPool {
    /** Idle connections kept per event loop per server. */
    static final int MAX_IDLE_PER_LOOP = 256;

    /** One loop's idle connections. */
    private static final class Partition {
        final ArrayDeque<Channel> idle = new ArrayDeque<>();
        final ArrayDeque<Channel> safe = new ArrayDeque<>();
    }

    private final ConcurrentHashMap<EventLoop, Partition> partitions = new ConcurrentHashMap<>();

    /** Takes an idle, still open connection of this loop (a safe one first), or null. Call on {@code loop}. */
    public Channel poll(EventLoop loop, Object key) {
        Partition p = partitions.get(loop);
        if (p == null) {
            return null;
        }
        Channel ch = take(p.safe, key);
        return ch != null ? ch : take(p.idle, key);
    }

    private static Channel take(ArrayDeque<Channel> q, Object key) {
        Channel ch;
        while ((ch = q.pollLast()) != null) {
            if (ch.isActive() && key.equals(ch.attr(UpstreamConnector.KEY).get())) {
                return ch;
            }
            ch.close();
        }
        return null;
    }

    /**
     * Parks an idle connection; {@code reused}: the request it just carried was not its first. Call on the
     * channel's event loop. Returns false when full (caller closes).
     */
    public boolean offer(Channel ch, boolean reused) {
        Partition p = partitions.computeIfAbsent(ch.eventLoop(), l -> new Partition());
        if (p.idle.size() + p.safe.size() >= MAX_IDLE_PER_LOOP) {
            return false;
        }
        (reused ? p.safe : p.idle).addLast(ch);
        return true;
    }

    /** Removes a connection that closed while idle. Call on the channel's event loop. */
    public void remove(Channel ch) {
        Partition p = partitions.get(ch.eventLoop());
        if (p != null && !p.safe.remove(ch)) {
            p.idle.remove(ch);
        }
    }

    /** Closes every idle connection (any thread: each partition is emptied on its own loop). */
    public void closeAll() {
        partitions.forEach((loop, p) -> loop.execute(() -> {
            for (ArrayDeque<Channel> q : java.util.List.of(p.idle, p.safe)) {
                Channel ch;
                while ((ch = q.pollFirst()) != null) {
                    ch.close();
                }
            }
        }));
    }

    /** Idle connections, safe or not (HAProxy's {@code srv_icur}, {@code idle_cur}). */
    public int idleCount() {
        int n = 0;
        for (Partition p : partitions.values()) {
            n += p.idle.size() + p.safe.size();
        }
        return n;
    }

    /** Idle connections that carried more than one request (HAProxy's {@code safe_conn_cur}, {@code safe_nb}). */
    public int safeCount() {
        int n = 0;
        for (Partition p : partitions.values()) {
            n += p.safe.size();
        }
        return n;
    }
}
