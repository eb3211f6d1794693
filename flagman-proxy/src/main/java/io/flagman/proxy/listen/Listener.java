package io.flagman.proxy.listen;

import io.flagman.config.model.Bind;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One bind line's open sockets (one per port of a range) and its accepted connections. Survives snapshots while
 * the bind stays in the configuration; the frontend it serves is looked up by name per connection, and
 * {@link #frontendName()} may change across applies (a bind moved to another frontend keeps its socket).
 */
public final class Listener {
    private final Bind bind;
    private final SslContext sslContext;
    private volatile String frontendName;
    private volatile int maxconn;
    private volatile boolean draining;
    final List<Channel> serverChannels = new ArrayList<>();
    final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    final AtomicInteger active = new AtomicInteger();
    // Connections accepted in the same accept burst that reached maxconn: they wait, unread, for a slot, as
    // HAProxy's would in the kernel's queue. Guarded by this listener's monitor (accepts and closes happen on
    // several event loops).
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private boolean paused;

    Listener(Bind bind, SslContext sslContext, String frontendName, int maxconn) {
        this.bind = bind;
        this.sslContext = sslContext;
        this.frontendName = frontendName;
        this.maxconn = maxconn;
    }

    public Bind bind() {
        return bind;
    }

    public String frontendName() {
        return frontendName;
    }

    void setFrontend(String name, int maxconn) {
        this.frontendName = name;
        this.maxconn = maxconn;
        synchronized (this) {
            if (maxconn <= 0 || active.get() < maxconn) {
                resumeAccepting();
            }
        }
    }

    int maxconn() {
        return maxconn;
    }

    SslContext sslContext() {
        return sslContext;
    }

    /** True once the bind left the configuration: connections finish what they do, then close. */
    public boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }

    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : serverChannels) {
            out.add((InetSocketAddress) c.localAddress());
        }
        return out;
    }

    public int activeConnections() {
        return active.get();
    }

    /**
     * Takes a connection slot, or queues {@code start} until one frees. At {@code maxconn} the listener stops
     * accepting (HAProxy's behaviour: further clients wait in the kernel's accept queue) and resumes when a
     * connection ends. Returns true when the caller may start the connection now.
     */
    synchronized boolean admit(Runnable start) {
        int max = maxconn;
        if (max > 0 && active.get() >= max) {
            waiting.add(start);
            pauseAccepting();
            return false;
        }
        if (active.incrementAndGet() == max) {
            pauseAccepting();
        }
        return true;
    }

    /** A connection that held a slot ended: hand the slot to a waiting connection, or accept again. */
    void release() {
        Runnable next;
        synchronized (this) {
            active.decrementAndGet();
            next = waiting.poll();
            if (next != null) {
                active.incrementAndGet();
            } else if (maxconn <= 0 || active.get() < maxconn) {
                resumeAccepting();
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** A waiting connection went away before it got a slot. */
    synchronized void forget(Runnable start) {
        waiting.remove(start);
    }

    private void pauseAccepting() {
        if (!paused) {
            paused = true;
            for (Channel c : serverChannels) {
                c.config().setAutoRead(false);
            }
        }
    }

    private void resumeAccepting() {
        if (paused) {
            paused = false;
            for (Channel c : serverChannels) {
                c.config().setAutoRead(true);
            }
        }
    }
}
