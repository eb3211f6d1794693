package io.flagman.proxy.upstream;

import io.flagman.config.model.SendProxy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.AttributeKey;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * Opens connections to servers on the caller's event loop (the client's), with AUTO_READ off. Writes the PROXY
 * protocol header first when the server has {@code send-proxy[-v2]}, and adds TLS when it has {@code ssl}.
 */
public final class UpstreamConnector {
    /** The pool key a connection was opened with. */
    public static final AttributeKey<Object> KEY = AttributeKey.valueOf("flagman.upstream.key");

    private final Class<? extends SocketChannel> channelClass;

    public UpstreamConnector(Class<? extends SocketChannel> channelClass) {
        this.channelClass = channelClass;
    }

    /**
     * Connects to {@code endpoint}. {@code init} adds the protocol handlers (HTTP codec or relay) after TLS.
     * {@code source}/{@code destination} are the client's addresses for {@code send-proxy}. Call on {@code loop}.
     */
    public ChannelFuture connect(EventLoop loop, ServerEndpoint endpoint, int connectTimeoutMillis,
            InetSocketAddress source, InetSocketAddress destination, Consumer<ChannelPipeline> init) {
        Object key = endpoint.poolKey();
        InetSocketAddress target = endpoint.address();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, connectTimeoutMillis))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.attr(KEY).set(key);
                        ChannelPipeline p = ch.pipeline();
                        if (endpoint.sendProxy() != SendProxy.NONE) {
                            p.addLast("proxy-encoder", HAProxyMessageEncoder.INSTANCE);
                        }
                        if (endpoint.sslContext() != null) {
                            p.addLast("ssl", endpoint.sslContext().newHandler(ch.alloc(), target.getHostString(),
                                    target.getPort()));
                        }
                        init.accept(p);
                    }
                });
        endpoint.state().countConnection();
        ChannelFuture f = b.connect(target);
        if (endpoint.sendProxy() != SendProxy.NONE) {
            f.addListener((ChannelFutureListener) cf -> {
                if (cf.isSuccess()) {
                    Channel ch = cf.channel();
                    ch.writeAndFlush(proxyHeader(endpoint.sendProxy(), source, destination, ch));
                    ch.pipeline().remove("proxy-encoder");
                }
            });
        }
        return f;
    }

    static HAProxyMessage proxyHeader(SendProxy v, InetSocketAddress src, InetSocketAddress dst, Channel ch) {
        if (src == null) {
            src = (InetSocketAddress) ch.localAddress();
        }
        if (dst == null) {
            dst = (InetSocketAddress) ch.remoteAddress();
        }
        boolean v6 = src.getAddress() instanceof Inet6Address || dst.getAddress() instanceof Inet6Address;
        String s = src.getAddress().getHostAddress();
        String d = dst.getAddress().getHostAddress();
        if (v6 && !(src.getAddress() instanceof Inet6Address)) {
            s = "::ffff:" + s;
        }
        if (v6 && !(dst.getAddress() instanceof Inet6Address)) {
            d = "::ffff:" + d;
        }
        return new HAProxyMessage(v == SendProxy.V2 ? HAProxyProtocolVersion.V2 : HAProxyProtocolVersion.V1,
                HAProxyCommand.PROXY, v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4, s, d,
                src.getPort(), dst.getPort());
    }
}
