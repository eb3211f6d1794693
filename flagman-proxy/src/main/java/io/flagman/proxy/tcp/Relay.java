package io.flagman.proxy.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Full-duplex byte relay between a client and a server connection on the same event loop (TCP mode, and HTTP
 * after a {@code 101 Switching Protocols}). Backpressure: a side is read only while the other side is writable.
 * Half-close: a FIN from one side shuts the other side's output; the connection pair closes when both
 * directions are done. Inactivity timeouts ({@code timeout client/server/tunnel}) and, after a half-close,
 * {@code timeout server-fin} (the client sent its FIN) or {@code client-fin} (the server did) close both, as in
 * HAProxy. Confined to the shared event loop.
 */
public final class Relay extends ChannelInboundHandlerAdapter {
    /** Inactivity timeouts in milliseconds (0 = none) for the client side, the server side, and after a FIN. */
    public record Timeouts(long client, long server, long clientFin, long serverFin) {}

    /** Called once when both connections are closed, with the bytes relayed each way. */
    @FunctionalInterface
    public interface Done {
        void closed(long clientToServer, long serverToClient);
    }

    private static final class Pair {
        final Done done;
        long clientToServer;
        long serverToClient;
        boolean finished;

        Pair(Done done) {
            this.done = done;
        }
    }

    private final Channel peer;
    private final Pair pair;
    private final boolean clientSide;
    private final long finTimeout;
    private boolean inputShut;
    private Relay peerRelay;

    private Relay(Channel peer, Pair pair, boolean clientSide, long finTimeout) {
        this.peer = peer;
        this.pair = pair;
        this.clientSide = clientSide;
        this.finTimeout = finTimeout;
    }

    /**
     * Replaces handler {@code clientHandler} of {@code client} and {@code serverHandler} of {@code server} with
     * relays, removes the HTTP codecs when named (non-null), and starts reading both sides. On the shared loop.
     */
    public static void join(Channel client, String clientHandler, String clientCodec, Channel server,
            String serverHandler, String serverCodec, Timeouts t, Done done) {
        Pair pair = new Pair(done);
        // HAProxy: once the client's FIN is passed on, the wait for the server is bounded by server-fin; once the
        // server's, the wait for the client by client-fin. The relay whose input shut arms the other side's.
        Relay down = new Relay(server, pair, true, t.serverFin());
        Relay up = new Relay(client, pair, false, t.clientFin());
        down.peerRelay = up;
        up.peerRelay = down;
        install(client.pipeline(), clientHandler, clientCodec, down, t.client());
        install(server.pipeline(), serverHandler, serverCodec, up, t.server());
        if (!client.isActive() || !server.isActive()) {
            client.close();
            server.close();
            return;
        }
        readUnlessShut(client);
        readUnlessShut(server);
    }

    // A read on a channel whose input is already shut makes the epoll transport fail (epoll_ctl ENOENT), which
    // would close the pair; that happens when the client sent its FIN before the relay started.
    private static void readUnlessShut(Channel ch) {
        if (!(ch instanceof DuplexChannel d) || !d.isInputShutdown()) {
            ch.read();
        }
    }

    private static void install(ChannelPipeline p, String handler, String codec, Relay relay, long idle) {
        p.replace(handler, "relay", relay);
        if (idle > 0) {
            p.addBefore("relay", "idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
        }
        if (codec != null && p.get(codec) != null) {
            p.remove(codec);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (clientSide) {
            pair.clientToServer += buf.readableBytes();
        } else {
            pair.serverToClient += buf.readableBytes();
        }
        peer.write(buf, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable() && !inputShut) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && peerRelay != null && !peerRelay.inputShut) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
            if (peer instanceof DuplexChannel d && peer.isActive()) {
                peer.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener((ChannelFutureListener) f -> d.shutdownOutput());
            }
            if (peerRelay.inputShut) {
                closeBoth(ctx.channel());
            } else if (finTimeout > 0) {
                ChannelPipeline p = ctx.pipeline();
                if (p.get("idle") != null) {
                    p.remove("idle");
                }
                p.addBefore("relay", "idle", new IdleStateHandler(0, 0, finTimeout, TimeUnit.MILLISECONDS));
            }
        } else if (evt instanceof IdleStateEvent) {
            closeBoth(ctx.channel());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        finish();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeBoth(ctx.channel());
    }

    private void closeBoth(Channel self) {
        self.close();
        peer.close();
    }

    private void finish() {
        if (!pair.finished && !peer.isActive()) {
            pair.finished = true;
            pair.done.closed(pair.clientToServer, pair.serverToClient);
        } else if (!pair.finished) {
            peer.closeFuture().addListener(f -> {
                if (!pair.finished) {
                    pair.finished = true;
                    pair.done.closed(pair.clientToServer, pair.serverToClient);
                }
            });
        }
    }
}
