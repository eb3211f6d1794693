package io.flagman.proxy.listen;

import io.flagman.config.model.Mode;
import io.flagman.config.model.ProxyOption;
import io.flagman.proxy.FrontendRuntime;
import io.flagman.proxy.ProxyContext;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.http.HttpFrontendHandler;
import io.flagman.proxy.stats.Counters;
import io.flagman.proxy.tcp.TcpFrontendHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import java.net.InetSocketAddress;

/**
 * Builds the pipeline of an accepted connection from its bind's options:
 * {@code [PROXY signature check + decoder] → [TLS] → HTTP codec + HttpFrontendHandler | TcpFrontendHandler}.
 * Which of the two is
 * decided by the frontend's mode in the snapshot in force when the connection is ready (after the PROXY header).
 * Shared by all connections of one listener; runs on each connection's event loop.
 */
@ChannelHandler.Sharable
final class FrontendChannelInitializer extends ChannelInitializer<Channel> {
    private final Listener listener;
    private final ProxyContext context;
    private final ConnectionSlots slots;

    FrontendChannelInitializer(Listener listener, ProxyContext context, ConnectionSlots slots) {
        this.listener = listener;
        this.context = context;
        this.slots = slots;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (listener.draining()) {
            ch.close();
            return;
        }
        listener.children.add(ch);
        // A slot handed over later runs start() on this connection's loop, so after initChannel has returned.
        // Counted under the frontend it was accepted for, even if the bind moves to another frontend meanwhile.
        String frontend = listener.frontendName();
        Runnable start = () -> ch.eventLoop().execute(() -> start(ch, frontend));
        if (slots.admit(listener, frontend, start)) {
            start(ch, frontend);
        } else {
            // Over maxconn: the connection waits, unread, for a slot (HAProxy leaves it in the accept queue).
            ch.pipeline().addLast(new HoldHandler());
            ch.closeFuture().addListener(f -> slots.forget(listener, start));
        }
    }

    /** The connection holds a slot: build its pipeline. On the connection's event loop. */
    private void start(Channel ch, String frontend) {
        ch.closeFuture().addListener(f -> slots.release(listener, frontend));
        if (!ch.isActive()) {
            return;
        }
        ClientConnection cc = new ClientConnection(listener, (InetSocketAddress) ch.remoteAddress(),
                (InetSocketAddress) ch.localAddress(), listener.bind().ssl());
        if (listener.bind().acceptProxy()) {
            ch.pipeline().addLast("proxy-signature", new ProxySignatureCheck());
            ch.pipeline().addLast("proxy-decoder", new HAProxyMessageDecoder());
            ch.pipeline().addLast("proxy-header", new ProxyHeaderHandler(this, cc));
        } else {
            installProtocol(ch, cc);
        }
        HoldHandler.release(ch);
    }

    /** A connection became a session of {@code fr}: its gauge (until it closes), totals and rates. */
    private static void countSession(Channel ch, FrontendRuntime fr, Listener listener) {
        if (!Counters.ENABLED) {
            return;
        }
        long now = System.nanoTime();
        Counters.Slot s = session(fr.counters(), now);
        if (fr.config().options().contains(ProxyOption.SOCKET_STATS)) {
            Counters.Slot l = session(listener.counters(), now);
            ch.closeFuture().addListener(f -> {
                s.leave();
                l.leave();
            });
        } else {
            ch.closeFuture().addListener(f -> s.leave());
        }
    }

    private static Counters.Slot session(Counters c, long now) {
        Counters.Slot s = c.here();
        s.enter(now);
        s.inc(Counters.CONNECTIONS);
        s.tick(Counters.RATE_CONNECTIONS, now);
        return s;
    }

    /** Adds TLS and the frontend's protocol handler at the end of the pipeline. On the connection's loop. */
    void installProtocol(Channel ch, ClientConnection cc) {
        Snapshot snapshot = context.snapshot();
        FrontendRuntime fr = snapshot.frontend(listener.frontendName());
        if (fr == null) {
            ch.close();
            return;
        }
        countSession(ch, fr, listener);
        ChannelPipeline p = ch.pipeline();
        SslContext ssl = listener.sslContext();
        if (ssl != null) {
            p.addLast("ssl", new SniHandler((Mapping<String, SslContext>) host -> {
                cc.setSni(host);
                return ssl;
            }));
        }
        if (fr.mode() == Mode.HTTP) {
            HttpFrontendHandler.install(p, cc, context, fr);
        } else {
            TcpFrontendHandler.install(p, cc, context, snapshot, fr);
        }
    }
}
