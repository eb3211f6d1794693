package io.flagman.proxy.listen;

import io.flagman.config.model.Bind;
import io.flagman.config.model.BindAddress;
import io.flagman.config.model.Frontend;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.ProxyContext;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroupFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens, keeps and closes listening sockets across snapshots (Caddy's listener pool, Envoy's drain). Used only
 * by {@code DataPlane.apply}/{@code close}, which are serialised; {@link #addresses} may be read from any thread.
 *
 * <p>Two-phase: {@link #prepare} opens every new bind first (any failure closes what it opened and throws, the
 * running listeners untouched); after the snapshot swap, {@link Plan#commit} retargets kept listeners and
 * drains the ones that went away.
 */
public final class ListenerManager {
    /**
     * A bind's identity: everything but its source line and its certificate (a renewed or re-pointed {@code crt}
     * is swapped on the kept socket, see {@link ServerTls}). Port-0 binds (ephemeral ports, tests) are also told
     * apart by frontend and position, since each one gets its own port.
     */
    record Key(Bind bind, String frontend, int index) {
        static Key of(Bind b, String frontend, int index) {
            Bind norm = new Bind(b.address(), b.name(), b.acceptProxy(), b.ssl(), List.of(), b.maxconn(),
                    b.backlog(), null, b.v4v6(), b.v6only(), 0);
            return b.address().port() == 0 ? new Key(norm, frontend, index) : new Key(norm, null, 0);
        }
    }

    private final Transport transport;
    private final ProxyContext context;
    private final ConnectionSlots slots = new ConnectionSlots();
    private volatile Map<Key, Listener> listeners = Map.of();

    public ListenerManager(Transport transport, ProxyContext context) {
        this.transport = transport;
        this.context = context;
    }

    /** What {@link #prepare} opened; {@link #commit} finishes the reconfiguration after the swap. */
    public final class Plan {
        private final Map<Key, Listener> next;
        private final Map<Key, String> owners;
        private final Map<Key, Integer> limits;
        private final List<Listener> opened;
        private final int globalMaxconn;
        private final Map<String, Integer> frontendMaxconn;
        private final Map<Listener, ServerTls> renewed;

        Plan(Map<Key, Listener> next, Map<Key, String> owners, Map<Key, Integer> limits, List<Listener> opened,
                int globalMaxconn, Map<String, Integer> frontendMaxconn, Map<Listener, ServerTls> renewed) {
            this.renewed = renewed;
            this.next = next;
            this.owners = owners;
            this.limits = limits;
            this.opened = opened;
            this.globalMaxconn = globalMaxconn;
            this.frontendMaxconn = frontendMaxconn;
        }

        /** After the swap: retarget kept binds, publish, and drain removed ones for up to {@code hardStopMillis}. */
        public void commit(long hardStopMillis) {
            next.forEach((k, l) -> l.setFrontend(owners.get(k), limits.get(k)));
            renewed.forEach(Listener::tls);
            slots.setLimits(globalMaxconn, frontendMaxconn);
            Map<Key, Listener> old = listeners;
            listeners = Map.copyOf(next);
            for (Map.Entry<Key, Listener> e : old.entrySet()) {
                if (next.get(e.getKey()) != e.getValue()) {
                    drain(e.getValue(), hardStopMillis);
                }
            }
        }

        /** The apply failed after prepare: close only what prepare opened. */
        public void abort() {
            for (Listener l : opened) {
                closeNow(l);
            }
        }
    }

    /** Opens sockets for binds that are new in {@code snapshot}. Throws (having closed them) when one fails. */
    public Plan prepare(Snapshot snapshot) throws ApplyException {
        Map<Key, Listener> current = listeners;
        Map<Key, Listener> next = new LinkedHashMap<>();
        Map<Key, String> owners = new HashMap<>();
        Map<Key, Integer> limits = new HashMap<>();
        Map<String, Integer> frontendMaxconn = new HashMap<>();
        List<Listener> opened = new ArrayList<>();
        Map<Listener, ServerTls> renewed = new HashMap<>();
        try {
            for (Frontend f : snapshot.config().frontends()) {
                if (f.disabled()) {
                    continue;
                }
                for (int i = 0; i < f.binds().size(); i++) {
                    Bind b = f.binds().get(i);
                    Key k = Key.of(b, f.name(), i);
                    if (owners.containsKey(k)) {
                        throw new ApplyException("frontend '" + f.name() + "' bind " + b.address().text()
                                + ": already bound by frontend '" + owners.get(k) + "'");
                    }
                    owners.put(k, f.name());
                    // A bind's maxconn limits that bind; the frontend's limits all its binds together.
                    limits.put(k, b.maxconn());
                    frontendMaxconn.put(f.name(), f.maxconn());
                    Listener l = current.get(k);
                    if (l == null) {
                        l = open(f, b, b.maxconn());
                        opened.add(l);
                    } else if (b.ssl()) {
                        // The certificate is read again on every apply; a changed one is checked before the swap.
                        ServerTls tls = ServerTls.load(b, where(f, b), l.tls());
                        if (tls != l.tls()) {
                            renewed.put(l, tls);
                        }
                    }
                    next.put(k, l);
                }
            }
        } catch (ApplyException | RuntimeException e) {
            for (Listener l : opened) {
                closeNow(l);
            }
            throw e;
        }
        return new Plan(next, owners, limits, opened, snapshot.config().global().maxconn(), frontendMaxconn,
                renewed);
    }

    private Listener open(Frontend f, Bind b, int maxconn) throws ApplyException {
        String where = where(f, b);
        BindAddress a = b.address();
        if (a.family() == BindAddress.Family.UNIX) {
            throw new ApplyException(where + ": unix sockets are not supported yet");
        }
        Listener l = new Listener(b, b.ssl() ? ServerTls.load(b, where, null) : null, f.name(), maxconn);
        int queue = maxconn > 0 ? maxconn : f.maxconn();
        int backlog = b.backlog() > 0 ? b.backlog() : f.backlog() > 0 ? f.backlog() : queue > 0 ? queue : 1024;
        ServerBootstrap sb = new ServerBootstrap()
                .group(transport.acceptGroup(), transport.workerGroup())
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new FrontendChannelInitializer(l, context, slots));
        String host = a.host();
        if (host == null) {
            host = a.family() == BindAddress.Family.IPV6 ? "::" : "0.0.0.0";
        }
        try {
            for (int port = a.port(); port <= Math.max(a.port(), a.portEnd()); port++) {
                ChannelFuture cf = sb.bind(new InetSocketAddress(host, port)).awaitUninterruptibly();
                if (!cf.isSuccess()) {
                    throw new ApplyException(where + ": cannot bind: " + cf.cause().getMessage(), cf.cause());
                }
                l.serverChannels.add(cf.channel());
            }
            slots.register(l);
        } catch (ApplyException e) {
            closeNow(l);
            throw e;
        }
        return l;
    }

    private static String where(Frontend f, Bind b) {
        return "frontend '" + f.name() + "' bind " + b.address().text();
    }

    private void drain(Listener l, long hardStopMillis) {
        drain(l, hardStopMillis, new AtomicBoolean());
    }

    /** Drains {@code l}; {@code cut} is set when connections were still open at the hard stop. */
    private void drain(Listener l, long hardStopMillis, AtomicBoolean cut) {
        l.startDraining();
        slots.unregister(l);
        for (Channel c : l.serverChannels) {
            c.close();
        }
        for (Channel c : l.children) {
            c.eventLoop().execute(() -> {
                if (c.pipeline().get(HoldHandler.class) != null) {
                    c.close(); // still waiting for a maxconn slot: never served, so nothing to finish
                } else {
                    c.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
                }
            });
        }
        if (!l.children.isEmpty()) {
            transport.acceptGroup().next().schedule(() -> {
                if (!l.children.isEmpty()) {
                    cut.set(true);
                }
                l.children.close();
            }, Math.max(1, hardStopMillis), TimeUnit.MILLISECONDS);
        }
    }

    private void closeNow(Listener l) {
        l.startDraining();
        slots.unregister(l);
        for (Channel c : l.serverChannels) {
            c.close().awaitUninterruptibly();
        }
        l.children.close();
    }

    /** The listeners of {@code frontend}, in the order of its binds. */
    public List<Listener> listeners(String frontend) {
        List<Listener> out = new ArrayList<>();
        for (Listener l : listeners.values()) {
            if (frontend.equals(l.frontendName())) {
                out.add(l);
            }
        }
        out.sort(java.util.Comparator.comparingInt(l -> l.bind().line()));
        return out;
    }

    /** Every client connection of the current listeners whose protocol handler runs, oldest first. */
    public List<LiveSession> sessions() {
        List<LiveSession> out = new ArrayList<>();
        for (Listener l : listeners.values()) {
            for (Channel ch : l.children) {
                ClientProtocolHandler h = ch.pipeline().get(ClientProtocolHandler.class);
                if (h == null) {
                    continue; // still reading a PROXY header or a TLS handshake
                }
                ClientConnection cc = h.connection();
                InetSocketAddress src = cc.source();
                String proto = src == null ? "unix_stream"
                        : src.getAddress() instanceof java.net.Inet6Address ? "tcpv6" : "tcpv4";
                out.add(new LiveSession(ch.id().asShortText(), proto, src, l.frontendName(), h.backendName(),
                        h.serverName(), cc.acceptNanos()));
            }
        }
        out.sort(java.util.Comparator.comparingLong(LiveSession::acceptNanos));
        return out;
    }

    /** The actual addresses of {@code frontend}'s listeners (ports resolved for port-0 binds). */
    public List<InetSocketAddress> addresses(String frontend) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Listener l : listeners.values()) {
            if (frontend.equals(l.frontendName())) {
                out.addAll(l.addresses());
            }
        }
        return out;
    }

    /**
     * Closes every listener (new connections are refused from now on); connections get {@code graceMillis} to
     * finish, then are closed.
     *
     * @return completes when every connection of those listeners has closed
     */
    public Drain closeAll(long graceMillis) {
        Map<Key, Listener> old = listeners;
        listeners = Map.of();
        List<ChannelGroupFuture> closing = new ArrayList<>();
        AtomicBoolean cut = new AtomicBoolean();
        for (Listener l : old.values()) {
            drain(l, graceMillis, cut);
            closing.add(l.children.newCloseFuture());
        }
        for (Listener l : old.values()) {
            for (Channel c : l.serverChannels) {
                c.closeFuture().awaitUninterruptibly(); // the port refuses connections once this returns
            }
        }
        return new Drain(List.copyOf(closing), cut);
    }

    /** The connections of closed listeners finishing; {@code cut} is set if the hard stop had to close some. */
    public record Drain(List<ChannelGroupFuture> closing, AtomicBoolean cut) {
        /**
         * Waits until every connection has closed (by itself, or by the hard stop at the grace bound) or
         * {@code millis} have passed.
         *
         * @return true when every connection finished by itself
         */
        public boolean await(long millis) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (ChannelGroupFuture f : closing) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (!f.awaitUninterruptibly(Math.max(0, left))) {
                    return false;
                }
            }
            return !cut.get();
        }
    }
}
