package io.flagman.proxy.listen;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a connection that waits for a {@code maxconn} slot. Nothing is read on purpose (AUTO_READ is off), but
 * the epoll transport reads anyway when the client half-closes, so what arrives is kept here and replayed into
 * the real pipeline once the connection is admitted (a DNS-over-TCP client sends its query and its FIN at once).
 * Confined to the connection's event loop.
 */
final class HoldHandler extends ChannelInboundHandlerAdapter {
    private final List<Object> held = new ArrayList<>();
    private boolean inputShut;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        held.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShut = true;
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Only reached with messages still held when the channel closed while waiting.
        held.forEach(ReferenceCountUtil::release);
        held.clear();
    }

    /** Removes the holder from {@code ch}'s pipeline and replays what it held into the handlers after it. */
    static void release(Channel ch) {
        HoldHandler h = ch.pipeline().get(HoldHandler.class);
        if (h == null) {
            return;
        }
        List<Object> replay = new ArrayList<>(h.held);
        h.held.clear();
        boolean shut = h.inputShut;
        ch.pipeline().remove(h);
        for (Object m : replay) {
            ch.pipeline().fireChannelRead(m);
        }
        if (!replay.isEmpty()) {
            ch.pipeline().fireChannelReadComplete();
        }
        if (shut) {
            ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }
}
