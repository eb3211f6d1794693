package io.flagman.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A byte-level upstream for strict-edge tests: records every byte it receives on any connection (so a test can
 * assert that nothing at all reached it), and answers each request head (a blank line seen) with exact bytes.
 */
final class RawBackend implements AutoCloseable {
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    private final StringBuffer received = new StringBuffer();
    final AtomicInteger connections = new AtomicInteger();
    private final Channel server;
    /** What is written back once a connection has received a blank line (the end of a head). */
    volatile String reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    RawBackend() {
        server = new ServerBootstrap().group(GROUP).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            private final StringBuilder mine = new StringBuilder();

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                String text = b.toString(StandardCharsets.ISO_8859_1);
                                b.release();
                                received.append(text);
                                mine.append(text);
                                int end = mine.indexOf("\r\n\r\n");
                                if (end >= 0) {
                                    mine.delete(0, end + 4);
                                    ctx.writeAndFlush(Unpooled.copiedBuffer(reply, StandardCharsets.ISO_8859_1));
                                }
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    /** Everything received so far, on every connection, in arrival order. */
    String received() {
        return received.toString();
    }

    String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }
}
