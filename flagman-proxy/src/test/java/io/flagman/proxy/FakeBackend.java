package io.flagman.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP/1.1 upstream for scenario tests: answers {@code 200} with its name as body and in
 * {@code X-Backend}, records every request it received and counts the connections it accepted.
 */
final class FakeBackend implements AutoCloseable {
    /** One request as the backend saw it. */
    record Seen(String method, String uri, Map<String, List<String>> headers, String body, Channel channel) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        List<String> headers(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return List.of();
        }
    }

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    final String name;
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final Channel server;
    volatile Function<FullHttpRequest, FullHttpResponse> responder;
    /** While true, responses are held until {@link #releaseHeld()}. */
    volatile boolean hold;
    final java.util.Queue<Runnable> held = new java.util.concurrent.ConcurrentLinkedQueue<>();

    void releaseHeld() {
        Runnable r;
        while ((r = held.poll()) != null) {
            r.run();
        }
    }

    FakeBackend(String name) {
        this(name, 0);
    }

    /** Listens on {@code port} of 127.0.0.1 (0: an ephemeral one). */
    FakeBackend(String name, int port) {
        this.name = name;
        this.responder = req -> ok(name, name);
        this.server = new ServerBootstrap().group(GROUP).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        Map<String, List<String>> h = new java.util.LinkedHashMap<>();
                                        for (Map.Entry<String, String> e : req.headers()) {
                                            h.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>())
                                                    .add(e.getValue());
                                        }
                                        requests.add(new Seen(req.method().name(), req.uri(), h,
                                                req.content().toString(StandardCharsets.UTF_8), ctx.channel()));
                                        FullHttpResponse resp = responder.apply(req);
                                        boolean keep = HttpUtil.isKeepAlive(req);
                                        if (!keep) {
                                            resp.headers().set(HttpHeaderNames.CONNECTION, "close");
                                        }
                                        Runnable send = () -> {
                                            var f = ctx.writeAndFlush(resp);
                                            if (!keep) {
                                                f.addListener(ChannelFutureListener.CLOSE);
                                            }
                                        };
                                        if (hold) {
                                            held.add(() -> ctx.executor().execute(send));
                                        } else {
                                            send.run();
                                        }
                                    }
                                });
                    }
                }).bind("127.0.0.1", port).syncUninterruptibly().channel();
    }

    static FullHttpResponse ok(String name, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes()).set("X-Backend", name);
        return r;
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    Seen last() {
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }
}
