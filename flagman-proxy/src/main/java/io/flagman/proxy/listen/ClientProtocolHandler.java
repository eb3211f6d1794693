package io.flagman.proxy.listen;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The protocol handler (TCP or HTTP) of one client connection, started exactly once when it is both in the
 * pipeline and on an active channel: installed on an already active channel (the usual case, and always after a
 * PROXY header) it starts in {@code handlerAdded}, otherwise in {@code channelActive}. Event-loop confined.
 */
public abstract class ClientProtocolHandler extends ChannelInboundHandlerAdapter {
    private boolean started;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startOnce(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startOnce(ctx);
        ctx.fireChannelActive();
    }

    private void startOnce(ChannelHandlerContext ctx) {
        if (!started) {
            started = true;
            start(ctx);
        }
    }

    /** Begins serving the connection; called once, on the event loop, with this handler's context. */
    protected abstract void start(ChannelHandlerContext ctx);

    /** The client connection this handler serves. */
    public abstract ClientConnection connection();

    /**
     * The backend and server of what the connection does now (either may be null: waiting for a request, not routed
     * or not connected yet), for {@code show sess}. Read from another thread without synchronisation: a snapshot that
     * may be a moment old, which is what a listing of live sessions can be anyway.
     */
    public abstract String backendName();

    public abstract String serverName();
}
