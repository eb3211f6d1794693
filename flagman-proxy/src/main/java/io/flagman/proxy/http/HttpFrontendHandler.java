package io.flagman.proxy.http;

import io.flagman.proxy.FrontendRuntime;
import io.flagman.proxy.ProxyContext;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.listen.ClientConnection;
import io.flagman.proxy.listen.ClientProtocolHandler;
import io.flagman.proxy.listen.DrainEvent;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One HTTP/1.1 client connection: decodes requests, runs rules and routing on the snapshot in force when each
 * request starts, forwards to a pooled upstream on the same event loop and relays the response back, with
 * backpressure both ways (read from one side only when the other side is writable).
 *
 * <p>This class holds the connection's state and its client-side events (reads, writability, close, drain).
 * The steps of an exchange live in {@link RequestStart} (checks, rules, routing), {@link UpstreamForwarder}
 * (server, pool, connect, retries, request head), {@link ResponseRelay} (response, tunnel), {@link
 * LocalResponses} (answers without a server, end of exchange, log) and {@link ExchangeTimer} (the one deadline).
 *
 * <p>Confined to the connection's event loop; no locks. One exchange at a time; pipelined requests wait in
 * {@code pending} (bounded by one read, since nothing more is read while busy).
 */
public final class HttpFrontendHandler extends ClientProtocolHandler {
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_SIZE = 16384;
    static final int MAX_CHUNK = 65536;

    final ClientConnection cc;
    final ProxyContext context;
    FrontendRuntime lastFrontend;
    Snapshot lastSnapshot;
    ChannelHandlerContext ctx;
    private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
    HttpExchange ex;
    Channel upstream;
    UpstreamHandler upstreamHandler;
    boolean requestDone;
    boolean responseStarted;
    boolean informational;
    boolean upstreamReusable;
    boolean clientKeepAlive;
    boolean discarding;
    boolean closing;
    boolean draining;
    boolean queued;
    int served;
    /** Between a client read and its channelReadComplete: upstream flushes wait for the end of the burst. */
    private boolean inClientRead;
    private Channel unflushed;

    final ExchangeTimer timer = new ExchangeTimer(this);
    final RequestStart requests = new RequestStart(this);
    final UpstreamForwarder forwarder = new UpstreamForwarder(this);
    final ResponseRelay relay = new ResponseRelay(this);
    final LocalResponses local = new LocalResponses(this);

    private HttpFrontendHandler(ClientConnection cc, ProxyContext context, FrontendRuntime fr, Snapshot s) {
        this.cc = cc;
        this.context = context;
        this.lastFrontend = fr;
        this.lastSnapshot = s;
    }

    /** Request decoder limits (read, never written, by every server codec: one instance, not one per accept). */
    private static final HttpDecoderConfig SERVER_DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_INITIAL_LINE)
            .setMaxHeaderSize(MAX_HEADER_SIZE)
            .setMaxChunkSize(MAX_CHUNK)
            .setAllowDuplicateContentLengths(false);

    /** Adds the HTTP codec (with HAProxy-like limits) and the handler for {@code fr}. */
    public static void install(ChannelPipeline p, ClientConnection cc, ProxyContext context, FrontendRuntime fr) {
        p.addLast("http-codec", new StrictServerCodec(SERVER_DECODER));
        p.addLast("http", new HttpFrontendHandler(cc, context, fr, context.snapshot()));
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected void start(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        FrontendRuntime fr = lastFrontend;
        timer.arm(ExchangeTimer.IDLE_FIRST, ExchangeTimer.first(fr.httpRequestTimeout(), fr.clientTimeout()));
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        timer.cancel();
        releasePending();
        if (ex != null) {
            if (ex.status < 0) {
                ex.termination = 'C';
            }
            local.endExchange();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DrainEvent.INSTANCE) {
            draining = true;
            if (ex == null && pending.isEmpty()) {
                ctx.close();
            }
        } else if (evt instanceof ChannelInputShutdownEvent) {
            clientKeepAlive = false;
            if (ex == null || !requestDone) {
                closing = true;
                ctx.close();
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstream != null && responseStarted) {
            upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ---------------------------------------------------------------- client side

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inClientRead = true;
        pending.add(msg);
        drain();
    }

    /** One flush per client read burst for what went upstream (a GET is its head and an empty last chunk). */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inClientRead = false;
        Channel u = unflushed;
        if (u != null) {
            unflushed = null;
            u.flush();
        }
        ctx.fireChannelReadComplete();
    }

    /** Flushes {@code up} now, or at the end of the client's read burst when inside one. */
    void flushUpstream(Channel up) {
        if (!inClientRead) {
            up.flush();
            return;
        }
        if (unflushed != null && unflushed != up) {
            unflushed.flush();
        }
        unflushed = up;
    }

    /** Handles queued inbound messages while the current state can take them, then asks for more if needed. */
    void drain() {
        Channel wrote = forwardQueued();
        if (wrote != null) {
            flushUpstream(wrote);
        }
        readClientIfReady();
    }

    /**
     * Starts queued requests when idle and writes queued body chunks of the current request upstream (not
     * flushed). Returns the channel written to, or null.
     */
    Channel forwardQueued() {
        Channel wrote = null;
        while (!pending.isEmpty() && !closing) {
            if (ex == null) {
                Object msg = pending.poll();
                if (discarding) {
                    ReferenceCountUtil.release(msg);
                    if (msg instanceof LastHttpContent) {
                        discarding = false;
                    }
                } else if (msg instanceof HttpRequest req) {
                    requests.start(req);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            } else if (!requestDone && pending.peek() instanceof HttpContent bad && bad.decoderResult().isFailure()) {
                ReferenceCountUtil.release(pending.poll()); // a broken chunk: none of it goes upstream
                local.fail(400, 'P', 'R');
            } else if (!requestDone && upstream != null && upstreamHandler != null
                    && upstreamHandler.owner == this) {
                HttpContent c = (HttpContent) pending.poll();
                ex.bytesIn += c.content().readableBytes();
                if (c instanceof LastHttpContent) {
                    requestDone = true;
                    timer.arm(ExchangeTimer.SERVER, ex.backend.serverTimeout());
                } else {
                    timer.arm(ExchangeTimer.CLIENT, lastFrontend.clientTimeout());
                }
                upstream.write(c, upstream.voidPromise());
                wrote = upstream;
            } else {
                break;
            }
        }
        return wrote;
    }

    /** Reads the client again when everything queued was handled and the current state wants more input. */
    void readClientIfReady() {
        if (pending.isEmpty() && !closing && wantsClientInput() && (ex == null || upstream == null
                || upstream.isWritable())) {
            ctx.read();
        }
    }

    private boolean wantsClientInput() {
        return ex == null || (!requestDone && upstream != null);
    }

    void onUpstreamWritable(Channel ch) {
        if (ch == upstream && pending.isEmpty() && ex != null && !requestDone) {
            ctx.read();
        }
    }

    void armKeepAlive() {
        FrontendRuntime fr = lastFrontend;
        timer.arm(ExchangeTimer.IDLE_KEEPALIVE,
                ExchangeTimer.first(fr.keepAliveTimeout(), fr.httpRequestTimeout(), fr.clientTimeout()));
    }

    /** Detaches and closes the upstream connection of the current exchange, if any. */
    void dropUpstream() {
        if (upstream != null) {
            upstreamHandler.owner = null;
            upstream.close();
            upstream = null;
            upstreamHandler = null;
        }
    }

    // ---------------------------------------------------------------- queued input

    boolean pendingHasLast() {
        for (Object o : pending) {
            if (o instanceof LastHttpContent) {
                return true;
            }
            if (o instanceof HttpRequest) {
                return false;
            }
        }
        return false;
    }

    /** Drops the current request's body that is already queued (up to and including its last chunk). */
    void dropPendingBody() {
        while (!pending.isEmpty() && pending.peek() instanceof HttpContent) {
            Object o = pending.poll();
            ReferenceCountUtil.release(o);
            if (o instanceof LastHttpContent) {
                return;
            }
        }
    }

    void releasePending() {
        Object o;
        while ((o = pending.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }
}
