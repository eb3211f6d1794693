package io.flagman.proxy.listen;

import io.flagman.config.model.Bind;
import io.flagman.proxy.stats.Counters;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
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
    // Swapped when the certificate file changes; read once per accepted connection (new handshakes).
    private volatile ServerTls tls;
    private volatile String frontendName;
    private volatile int maxconn;
    private volatile boolean draining;
    final List<Channel> serverChannels = new ArrayList<>();
    final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    final AtomicInteger active = new AtomicInteger();
    /** The bind's statistics ({@code option socket-stats}); per event loop, kept while the bind stays. */
    private final Counters counters = new Counters();
    // Whether the server sockets are paused; written only under ConnectionSlots' monitor.
    private boolean paused;

    Listener(Bind bind, ServerTls tls, String frontendName, int maxconn) {
        this.bind = bind;
        this.tls = tls;
        this.frontendName = frontendName;
        this.maxconn = maxconn;
    }

    public Bind bind() {
        return bind;
    }

    public Counters counters() {
        return counters;
    }

    /** The bind's own {@code maxconn}, 0 when it has none. */
    public int maxconn() {
        return maxconn;
    }

    public String frontendName() {
        return frontendName;
    }

    void setFrontend(String name, int maxconn) {
        this.frontendName = name;
        this.maxconn = maxconn;
    }

    /** The TLS context for a connection accepted now, or null on a plain bind. */
    SslContext sslContext() {
        ServerTls t = tls;
        return t == null ? null : t.context();
    }

    ServerTls tls() {
        return tls;
    }

    /** A renewed certificate: handshakes from now on use it, established connections keep theirs. */
    void tls(ServerTls next) {
        this.tls = next;
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

    /** Starts or stops accepting (on every port of the bind); only the admission monitor calls this. */
    void accepting(boolean accept) {
        if (paused == accept) {
            paused = !accept;
            for (Channel c : serverChannels) {
                c.config().setAutoRead(accept);
            }
        }
    }
}
