package io.flagman.proxy.listen;

import java.net.InetSocketAddress;

/**
 * What the proxy knows about one accepted client connection: the listener it came through, its addresses (the
 * PROXY header's when the bind has {@code accept-proxy}) and TLS facts. Written only on the connection's event
 * loop before the protocol handler starts; read afterwards on the same loop.
 */
public final class ClientConnection {
    private final Listener listener;
    private InetSocketAddress source;
    private InetSocketAddress destination;
    private final boolean ssl;
    private String sni;
    private final long acceptNanos = System.nanoTime();
    private final long acceptMillis = System.currentTimeMillis();

    ClientConnection(Listener listener, InetSocketAddress source, InetSocketAddress destination, boolean ssl) {
        this.listener = listener;
        this.source = source;
        this.destination = destination;
        this.ssl = ssl;
    }

    public Listener listener() {
        return listener;
    }

    public InetSocketAddress source() {
        return source;
    }

    public InetSocketAddress destination() {
        return destination;
    }

    public boolean isSsl() {
        return ssl;
    }

    public String sni() {
        return sni;
    }

    public long acceptNanos() {
        return acceptNanos;
    }

    public long acceptMillis() {
        return acceptMillis;
    }

    void setAddresses(InetSocketAddress source, InetSocketAddress destination) {
        this.source = source;
        this.destination = destination;
    }

    void setSni(String sni) {
        this.sni = sni;
    }
}
