package io.flagman.proxy.health;

import io.flagman.config.model.HttpCheck;
import io.flagman.config.model.SendProxy;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One check of one server, on one event loop: connect (layer 4), then the PROXY header for {@code send-proxy[-v2]}
 * servers, then the TLS handshake for {@code ssl} servers (layer 6), then for {@code option httpchk} the request and
 * the response's status line (layer 7, decoded with the data path's limits); then close. Reports exactly one
 * {@link CheckResult}. Confined to its event loop; a deadline task bounds every phase, so a server that accepts
 * and never answers costs one idle socket until the timeout and holds up nothing else.
 */
final class CheckRun extends ChannelInboundHandlerAdapter {
    /** The data path's response-decoding limits, so a check sees a response as a request would. */
    private static final HttpDecoderConfig DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(16384 * 4);

    private enum Phase { CONNECT, HANDSHAKE, RESPONSE }

    private final CheckSettings s;
    private final Consumer<CheckResult> done;
    private final long start = System.nanoTime();
    private Phase phase = Phase.CONNECT;
    private Channel channel;
    private ScheduledFuture<?> deadline;
    private boolean finished;

    private CheckRun(CheckSettings s, Consumer<CheckResult> done) {
        this.s = s;
        this.done = done;
    }

    /** Starts a check on {@code loop} (call on it); {@code done} runs on it once. */
    static void start(EventLoop loop, Class<? extends Channel> channelClass, CheckSettings s,
            Consumer<CheckResult> done) {
        new CheckRun(s, done).begin(loop, channelClass);
    }

    private void begin(EventLoop loop, Class<? extends Channel> channelClass) {
        deadline = loop.schedule(this::expired, s.connectMillis(), TimeUnit.MILLISECONDS);
        HttpCheck http = s.http();
        ChannelFuture f = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, s.connectMillis()))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (http != null) {
                            ch.pipeline().addLast("decoder", new HttpResponseDecoder(DECODER));
                        }
                        ch.pipeline().addLast("check", CheckRun.this);
                    }
                })
                .connect(s.target());
        channel = f.channel();
        f.addListener((ChannelFutureListener) this::connected);
    }

    private void connected(ChannelFuture f) {
        if (finished) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            boolean timeout = f.cause() instanceof ConnectTimeoutException;
            finish(timeout ? CheckStatus.L4TOUT : CheckStatus.L4CON, 0, timeout ? null : info(f.cause()));
            return;
        }
        if (s.checkMillis() > 0) {
            deadline.cancel(false);
            deadline = channel.eventLoop().schedule(this::expired, s.checkMillis(), TimeUnit.MILLISECONDS);
        }
        // Checks with their own port or address go there in clear and without a PROXY header (HAProxy's rule:
        // the server's transport is only reused when the check targets the server itself).
        boolean elsewhere = s.endpoint().server().checksElsewhere();
        SendProxy sp = elsewhere ? SendProxy.NONE : s.endpoint().sendProxy();
        ChannelFuture header = null;
        if (sp != SendProxy.NONE) {
            // check-send-proxy is implied by send-proxy: the header carries the check connection's own addresses.
            channel.pipeline().addFirst("proxy-encoder", HAProxyMessageEncoder.INSTANCE);
            header = channel.writeAndFlush(proxyHeader(sp, channel));
            channel.pipeline().remove("proxy-encoder");
        }
        SslContext ssl = elsewhere ? null : s.endpoint().sslContext();
        if (ssl != null) {
            phase = Phase.HANDSHAKE;
            InetSocketAddress a = s.endpoint().address();
            SslHandler h = ssl.newHandler(channel.alloc(), a.getHostString(), a.getPort());
            channel.pipeline().addFirst("ssl", h);
            h.handshakeFuture().addListener(this::handshaken);
            return;
        }
        if (s.http() != null) {
            request();
        } else if (header != null) {
            header.addListener(w -> finish(CheckStatus.L4OK, 0, null));
        } else {
            finish(CheckStatus.L4OK, 0, null);
        }
    }

    private void handshaken(Future<? super Channel> f) {
        if (finished) {
            return;
        }
        if (!f.isSuccess()) {
            finish(CheckStatus.L6RSP, 0, info(f.cause()));
        } else if (s.http() != null) {
            request();
        } else {
            finish(CheckStatus.L6OK, 0, null);
        }
    }

    /** HAProxy's request: {@code <method> <uri> <version>}, plus {@code connection: close} for HTTP/1.1. */
    private void request() {
        phase = Phase.RESPONSE;
        HttpCheck h = s.http();
        StringBuilder b = new StringBuilder().append(h.method()).append(' ').append(h.uri()).append(' ')
                .append(h.version()).append("\r\n");
        if ("HTTP/1.1".equalsIgnoreCase(h.version())) {
            b.append("connection: close\r\n");
        }
        b.append("\r\n");
        channel.writeAndFlush(Unpooled.copiedBuffer(b, StandardCharsets.ISO_8859_1));
        channel.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (finished || !(msg instanceof HttpResponse r)) {
                return;
            }
            if (r.decoderResult().isFailure()) {
                finish(CheckStatus.L7RSP, 0, info(r.decoderResult().cause()));
                return;
            }
            int code = r.status().code();
            String reason = r.status().reasonPhrase();
            finish(code >= 200 && code < 400 ? CheckStatus.L7OK : CheckStatus.L7STS, code, reason);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        switch (phase) {
            case HANDSHAKE -> finish(CheckStatus.L6RSP, 0, "Connection closed during the TLS handshake");
            case RESPONSE -> finish(CheckStatus.L7RSP, 0, "Empty response");
            default -> finish(CheckStatus.L4CON, 0, "Connection closed");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (phase == Phase.HANDSHAKE) {
            finish(CheckStatus.L6RSP, 0, info(cause));
        } else if (phase == Phase.RESPONSE && !(cause instanceof java.io.IOException)) {
            finish(CheckStatus.L7RSP, 0, info(cause));
        } else {
            finish(CheckStatus.L4CON, 0, info(cause));
        }
    }

    private void expired() {
        switch (phase) {
            case CONNECT -> finish(CheckStatus.L4TOUT, 0, null);
            case HANDSHAKE -> finish(CheckStatus.L6TOUT, 0, null);
            case RESPONSE -> finish(CheckStatus.L7TOUT, 0, null);
        }
    }

    private void finish(CheckStatus status, int code, String info) {
        if (finished) {
            return;
        }
        finished = true;
        deadline.cancel(false);
        channel.close();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        done.accept(new CheckResult(status, code, info, ms));
    }

    private static final String[] KNOWN_ERRORS = {"Connection refused", "Connection reset by peer",
        "No route to host", "Network is unreachable", "Connection timed out", "Broken pipe"};

    /** The OS error as HAProxy shows it ({@code Connection refused}), else the exception's last message part. */
    static String info(Throwable t) {
        String m = t == null ? null : t.getMessage();
        if (m == null) {
            return t == null ? null : t.getClass().getSimpleName();
        }
        for (String k : KNOWN_ERRORS) {
            if (m.contains(k)) {
                return k;
            }
        }
        return m.replace('"', '\'');
    }

    private static HAProxyMessage proxyHeader(SendProxy v, Channel ch) {
        InetSocketAddress src = (InetSocketAddress) ch.localAddress();
        InetSocketAddress dst = (InetSocketAddress) ch.remoteAddress();
        boolean v6 = src.getAddress() instanceof Inet6Address;
        return new HAProxyMessage(v == SendProxy.V2 ? HAProxyProtocolVersion.V2 : HAProxyProtocolVersion.V1,
                HAProxyCommand.PROXY, v6 ? HAProxyProxiedProtocol.TCP6 : HAProxyProxiedProtocol.TCP4,
                src.getAddress().getHostAddress(), dst.getAddress().getHostAddress(), src.getPort(), dst.getPort());
    }
}
