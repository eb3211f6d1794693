package io.flagman.proxy.http;

import io.flagman.proxy.upstream.ServerState;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of an HTTP upstream connection. While an exchange uses the connection, everything goes to
 * its owner (the client's handler, same event loop). While the connection idles in the pool it has no owner:
 * any byte or a close removes it from the pool. Confined to the connection's event loop.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final ServerState server;
    HttpFrontendHandler owner;

    UpstreamHandler(ServerState server, HttpFrontendHandler owner) {
        this.server = server;
        this.owner = owner;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        HttpFrontendHandler o = owner;
        if (o == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        o.onUpstreamRead(ctx.channel(), msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        HttpFrontendHandler o = owner;
        if (o != null) {
            o.onUpstreamReadComplete(ctx.channel());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        HttpFrontendHandler o = owner;
        if (o != null && ctx.channel().isWritable()) {
            o.onUpstreamWritable(ctx.channel());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpFrontendHandler o = owner;
        owner = null;
        if (o != null) {
            o.onUpstreamClosed(ctx.channel());
        } else {
            server.pool().remove(ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
