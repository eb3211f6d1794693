package io.flagman.proxy.upstream;

import io.flagman.config.model.SendProxy;
import io.flagman.config.model.Server;
import io.flagman.proxy.balance.Candidate;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;

/**
 * One server as a snapshot sees it: the immutable configured part (address, weight, maxconn, send-proxy,
 * TLS) joined with its live {@link ServerState}. Every {@link Candidate} accessor reads live state, so an
 * admin change affects the very next pick.
 */
public final class ServerEndpoint implements Candidate {
    private final Server server;
    private final ServerState state;
    private final InetSocketAddress configuredAddress;
    private final SslContext sslContext;
    private final int index;

    public ServerEndpoint(Server server, ServerState state, InetSocketAddress address, SslContext sslContext,
            int index) {
        this.server = server;
        this.state = state;
        this.configuredAddress = address;
        this.sslContext = sslContext;
        this.index = index;
    }

    @Override
    public String name() {
        return server.name();
    }

    @Override
    public int weight() {
        int w = state.weightOverride();
        return w >= 0 ? w : server.weight();
    }

    @Override
    public boolean backup() {
        return server.backup();
    }

    @Override
    public boolean usable() {
        return available() && (server.maxconn() <= 0 || state.activeConnections() < server.maxconn());
    }

    /** Ready and healthy, whether or not it is at its maxconn (a full server can still take queued requests). */
    public boolean available() {
        return state.adminState() == ServerState.AdminState.READY && state.health() == ServerState.Health.UP;
    }

    @Override
    public int activeConnections() {
        return state.activeConnections();
    }

    public Server server() {
        return server;
    }

    public ServerState state() {
        return state;
    }

    public int maxconn() {
        return server.maxconn();
    }

    public int index() {
        return index;
    }

    /** The address to connect to now: the runtime override, else the configured one. */
    public InetSocketAddress address() {
        InetSocketAddress o = state.addressOverride();
        return o != null ? o : configuredAddress;
    }

    public SendProxy sendProxy() {
        return server.sendProxy();
    }

    /** Null unless the server line has {@code ssl}. */
    public SslContext sslContext() {
        return sslContext;
    }

    /** What identifies an interchangeable pooled connection: address, TLS and PROXY settings. */
    public Object poolKey() {
        return new PoolKey(address(), sslContext != null, server.sendProxy());
    }

    record PoolKey(InetSocketAddress address, boolean ssl, SendProxy sendProxy) {}

    @Override
    public String toString() {
        return state.backend() + "/" + server.name();
    }
}
