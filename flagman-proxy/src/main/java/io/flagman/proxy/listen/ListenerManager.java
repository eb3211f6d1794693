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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
     * A bind's identity: everything but its source line. Port-0 binds (ephemeral ports, tests) are also told
     * apart by frontend and position, since each one gets its own port.
     */
    record Key(Bind bind, String frontend, int index) {
        static Key of(Bind b, String frontend, int index) {
            Bind norm = new Bind(b.address(), b.name(), b.acceptProxy(), b.ssl(), b.certificates(), b.maxconn(),
                    b.backlog(), b.alpn(), b.v4v6(), b.v6only(), 0);
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

        Plan(Map<Key, Listener> next, Map<Key, String> owners, Map<Key, Integer> limits, List<Listener> opened,
                int globalMaxconn, Map<String, Integer> frontendMaxconn) {
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
        return new Plan(next, owners, limits, opened, snapshot.config().global().maxconn(), frontendMaxconn);
    }

    private Listener open(Frontend f, Bind b, int maxconn) throws ApplyException {
        String where = "frontend '" + f.name() + "' bind " + b.address().text();
        BindAddress a = b.address();
        if (a.family() == BindAddress.Family.UNIX) {
            throw new ApplyException(where + ": unix sockets are not supported yet");
        }
        Listener l = new Listener(b, b.ssl() ? serverSsl(b, where) : null, f.name(), maxconn);
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

    private static SslContext serverSsl(Bind b, String where) throws ApplyException {
        if (b.certificates().isEmpty()) {
            throw new ApplyException(where + ": ssl needs a crt");
        }
        String crt = b.certificates().get(0);
        try {
            Path p = Path.of(crt);
            if (Files.isDirectory(p)) {
                try (var s = Files.list(p)) {
                    p = s.filter(x -> x.toString().endsWith(".pem")).sorted().findFirst()
                            .orElseThrow(() -> new IOException("no .pem file in directory"));
                }
            }
            byte[] pem = Files.readAllBytes(p);
            SslContextBuilder builder = SslContextBuilder.forServer(new ByteArrayInputStream(pem),
                    new ByteArrayInputStream(pem));
            if (b.alpn() != null && b.alpn().contains("http/1.1")) {
                builder.applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                        io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        "http/1.1"));
            }
            return builder.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new ApplyException(where + ": crt '" + crt + "': " + e.getMessage(), e);
        }
    }

    private void drain(Listener l, long hardStopMillis) {
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

    /** Closes every listener; connections get {@code graceMillis} to finish. */
    public void closeAll(long graceMillis) {
        Map<Key, Listener> old = listeners;
        listeners = Map.of();
        for (Listener l : old.values()) {
            drain(l, graceMillis);
        }
    }
}
