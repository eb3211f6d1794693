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
 */
public final class ConnectionPool {
    /** Idle connections kept per event loop per server. */
    static final int MAX_IDLE_PER_LOOP = 256;

    private final ConcurrentHashMap<EventLoop, ArrayDeque<Channel>> idle = new ConcurrentHashMap<>();

    /** Takes an idle, still open connection of this loop, or null. Call on {@code loop}. */
    public Channel poll(EventLoop loop, Object key) {
        ArrayDeque<Channel> q = idle.get(loop);
        if (q == null) {
            return null;
        }
        Channel ch;
        while ((ch = q.pollLast()) != null) {
            if (ch.isActive() && key.equals(ch.attr(UpstreamConnector.KEY).get())) {
                return ch;
            }
            ch.close();
        }
        return null;
    }

    /** Parks an idle connection. Call on the channel's event loop. Returns false when full (caller closes). */
    public boolean offer(Channel ch) {
        ArrayDeque<Channel> q = idle.computeIfAbsent(ch.eventLoop(), l -> new ArrayDeque<>());
        if (q.size() >= MAX_IDLE_PER_LOOP) {
            return false;
        }
        q.addLast(ch);
        return true;
    }

    /** Removes a connection that closed while idle. Call on the channel's event loop. */
    public void remove(Channel ch) {
        ArrayDeque<Channel> q = idle.get(ch.eventLoop());
        if (q != null) {
            q.remove(ch);
        }
    }

    /** Closes every idle connection (any thread: each partition is emptied on its own loop). */
    public void closeAll() {
        idle.forEach((loop, q) -> loop.execute(() -> {
            Channel ch;
            while ((ch = q.pollFirst()) != null) {
                ch.close();
            }
        }));
    }

    public int idleCount() {
        int n = 0;
        for (ArrayDeque<Channel> q : idle.values()) {
            n += q.size();
        }
        return n;
    }
}
