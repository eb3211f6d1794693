package io.flagman.proxy.listen;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the PROXY protocol header (v1 or v2) of an {@code accept-proxy} bind, records the addresses it
 * carries, then installs the protocol handlers and removes itself. A missing, malformed or late header closes
 * the connection (the decoder throws; nothing is parsed as HTTP). Runs on the connection's event loop.
 */
final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {
    static final long HEADER_TIMEOUT_MILLIS = 5_000;

    private final FrontendChannelInitializer initializer;
    private final ClientConnection cc;
    private boolean done;
    private ScheduledFuture<?> timeout;

    ProxyHeaderHandler(FrontendChannelInitializer initializer, ClientConnection cc) {
        this.initializer = initializer;
        this.cc = cc;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            if (!done) {
                ctx.close();
            }
        }, HEADER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage m)) {
            io.netty.util.ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        try {
            if (m.command() == HAProxyCommand.PROXY && m.proxiedProtocol() != HAProxyProxiedProtocol.UNKNOWN
                    && m.sourceAddress() != null && (m.proxiedProtocol() == HAProxyProxiedProtocol.TCP4
                            || m.proxiedProtocol() == HAProxyProxiedProtocol.TCP6)) {
                cc.setAddresses(new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(
                        m.sourceAddress()), m.sourcePort()),
                        new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(
                                m.destinationAddress()), m.destinationPort()));
            }
        } finally {
            m.release();
        }
        done = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        initializer.installProtocol(ctx.channel(), cc);
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!done) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
