package io.flagman.control.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The API's HTTP server: Netty on its own single-thread event loop (so a flood on the data plane cannot starve
 * the admin plane, and the other way round), with a body size limit, a read timeout, and request handling on
 * virtual threads (a commit waits for validation, the data plane and fsync; the event loop never does).
 */
public final class ApiServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.flagman.control.api");

    private final Function<ApiRequest, ApiResponse> handler;
    private final Function<Integer, ApiResponse> tooLarge;
    private final int maxBodySize;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("flagman-api-", 0).factory());
    private EventLoopGroup group;
    private Channel channel;

    /**
     * @param handler answers a request; it must not throw
     * @param tooLarge the 413 response for a body above {@code maxBodySize} (given the limit)
     */
    public ApiServer(Function<ApiRequest, ApiResponse> handler, Function<Integer, ApiResponse> tooLarge,
            int maxBodySize) {
        this.handler = handler;
        this.tooLarge = tooLarge;
        this.maxBodySize = maxBodySize;
    }

    /** Binds and returns the bound address (port 0 picks a free one). */
    public synchronized InetSocketAddress start(String host, int port) throws InterruptedException {
        if (channel != null) {
            throw new IllegalStateException("already started");
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("flagman-api", true),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(60, TimeUnit.SECONDS))
                                .addLast(new HttpServerCodec(4096, 64 * 1024, 8192))
                                .addLast(new Aggregator(maxBodySize))
                                .addLast(new Dispatch());
                    }
                });
        try {
            channel = b.bind(host, port).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw e;
        }
        return (InetSocketAddress) channel.localAddress();
    }

    public synchronized InetSocketAddress address() {
        return channel == null ? null : (InetSocketAddress) channel.localAddress();
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            channel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            group = null;
        }
        workers.shutdown();
    }

    /** Answers an oversized body with the API's JSON 413 instead of Netty's bare one. */
    private final class Aggregator extends HttpObjectAggregator {
        Aggregator(int max) {
            super(max);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            ApiResponse r = tooLarge.apply(maxBodySize);
            FullHttpResponse res = toNetty(r);
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            ApiRequest request;
            if (!req.decoderResult().isSuccess()) {
                FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.BAD_REQUEST);
                bad.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            QueryStringDecoder qs = new QueryStringDecoder(req.uri());
            Map<String, String> query = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : qs.parameters().entrySet()) {
                if (!e.getKey().isEmpty() && !e.getValue().isEmpty()) {
                    query.put(e.getKey(), e.getValue().getFirst());
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> h : req.headers()) {
                headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
            }
            String path = qs.path();
            while (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String remote = ctx.channel().remoteAddress() == null ? "" : ctx.channel().remoteAddress().toString();
            request = new ApiRequest(req.method().name(), path, query, headers, ByteBufUtil.getBytes(req.content()),
                    remote);
            boolean head = req.method().name().equals("HEAD");
            // One request at a time per connection: responses go out in request order.
            ctx.channel().config().setAutoRead(false);
            workers.execute(() -> {
                ApiResponse r;
                try {
                    r = handler.apply(request);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "API handler failed", e);
                    r = ApiResponse.error(500, "internal error: " + e);
                }
                FullHttpResponse res = toNetty(r);
                if (head) {
                    res.content().clear();
                }
                if (keepAlive) {
                    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                    ctx.writeAndFlush(res).addListener(f -> {
                        ctx.channel().config().setAutoRead(true);
                        ctx.read();
                    });
                } else {
                    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static FullHttpResponse toNetty(ApiResponse r) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        r.headers().forEach((k, v) -> res.headers().set(k, v));
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        return res;
    }
}
