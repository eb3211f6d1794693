package io.flagman.proxy.http;

import io.flagman.config.model.ForwardFor;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.FrontendRuntime;
import io.flagman.proxy.ProxyContext;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.balance.Candidate;
import io.flagman.proxy.listen.ClientConnection;
import io.flagman.proxy.listen.DrainEvent;
import io.flagman.proxy.tcp.Relay;
import io.flagman.proxy.upstream.BackendQueue;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 client connection: decodes requests, runs rules and routing on the snapshot in force when each
 * request starts, forwards to a pooled upstream on the same event loop and relays the response back, with
 * backpressure both ways (read from one side only when the other side is writable).
 *
 * <p>Confined to the connection's event loop; no locks. One exchange at a time; pipelined requests wait in
 * {@code pending} (bounded by one read, since nothing more is read while busy).
 */
public final class HttpFrontendHandler extends ChannelInboundHandlerAdapter implements BackendQueue.Waiter {
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_SIZE = 16384;
    static final int MAX_CHUNK = 65536;

    private static final int T_IDLE_FIRST = 1;
    private static final int T_IDLE_KEEPALIVE = 2;
    private static final int T_CLIENT = 3;
    private static final int T_SERVER = 4;
    private static final int T_QUEUE = 5;

    private final ClientConnection cc;
    private final ProxyContext context;
    private FrontendRuntime lastFrontend;
    private Snapshot lastSnapshot;
    private ChannelHandlerContext ctx;
    private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
    private HttpExchange ex;
    private Channel upstream;
    private UpstreamHandler upstreamHandler;
    private boolean requestDone;
    private boolean responseStarted;
    private boolean informational;
    private boolean upstreamReusable;
    private boolean clientKeepAlive;
    private boolean discarding;
    private boolean closing;
    private boolean draining;
    private boolean started;
    private boolean queued;
    private int served;
    private long deadline = Long.MAX_VALUE;
    private int timerKind;
    private ScheduledFuture<?> timer;
    private long timerAt;
    private final Runnable timerTask = this::onTimer;

    private HttpFrontendHandler(ClientConnection cc, ProxyContext context, FrontendRuntime fr, Snapshot s) {
        this.cc = cc;
        this.context = context;
        this.lastFrontend = fr;
        this.lastSnapshot = s;
    }

    /** Adds the HTTP codec (with HAProxy-like limits) and the handler for {@code fr}. */
    public static void install(ChannelPipeline p, ClientConnection cc, ProxyContext context, FrontendRuntime fr) {
        p.addLast("http-codec", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(MAX_CHUNK)
                .setAllowDuplicateContentLengths(false)));
        p.addLast("http", new HttpFrontendHandler(cc, context, fr, context.snapshot()));
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (!started) {
            started = true;
            FrontendRuntime fr = lastFrontend;
            arm(T_IDLE_FIRST, first(fr.httpRequestTimeout(), fr.clientTimeout()));
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        cancelTimer();
        releasePending();
        if (ex != null) {
            if (ex.status < 0) {
                ex.termination = 'C';
            }
            endExchange(false);
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
        } else if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
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
        pending.add(msg);
        drain();
    }

    /** Handles queued inbound messages while the current state can take them, then asks for more if needed. */
    private void drain() {
        boolean wrote = false;
        while (!pending.isEmpty() && !closing) {
            if (ex == null) {
                Object msg = pending.poll();
                if (discarding) {
                    ReferenceCountUtil.release(msg);
                    if (msg instanceof LastHttpContent) {
                        discarding = false;
                    }
                } else if (msg instanceof HttpRequest req) {
                    startRequest(req);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            } else if (!requestDone && upstream != null && upstreamHandler != null
                    && upstreamHandler.owner == this) {
                HttpContent c = (HttpContent) pending.poll();
                ex.bytesIn += c.content().readableBytes();
                if (c instanceof LastHttpContent) {
                    requestDone = true;
                    arm(T_SERVER, ex.backend.serverTimeout());
                } else {
                    arm(T_CLIENT, lastFrontend.clientTimeout());
                }
                upstream.write(c, upstream.voidPromise());
                wrote = true;
            } else {
                break;
            }
        }
        if (wrote) {
            upstream.flush();
        }
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

    private void startRequest(HttpRequest req) {
        Snapshot s = context.snapshot();
        FrontendRuntime fr = s.frontend(cc.listener().frontendName());
        if (fr == null || fr.mode() != lastFrontend.mode()) {
            s = lastSnapshot;
            fr = lastFrontend;
        } else {
            lastSnapshot = s;
            lastFrontend = fr;
        }
        ex = new HttpExchange(cc, req, s, fr);
        requestDone = false;
        responseStarted = false;
        upstreamReusable = false;
        deadline = Long.MAX_VALUE;
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            int status = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException ? 431
                    : cause instanceof TooLongFrameException ? 431 : 400;
            ex.termination = 'P';
            ex.termState = 'R';
            respondLocal(fr.errors().response(status), true);
            return;
        }
        if (!valid(req)) {
            ex.termination = 'P';
            ex.termState = 'R';
            respondLocal(fr.errors().response(400), true);
            return;
        }
        HttpHeaders h = req.headers();
        ex.hasBody = HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
        ex.upgrade = h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && h.contains(HttpHeaderNames.UPGRADE);
        clientKeepAlive = HttpUtil.isKeepAlive(req) && !fr.httpClose() && !draining && !cc.listener().draining();
        FullHttpResponse local = fr.rules().applyRequest(ex, h, ex.uri, fr.errors(), fr.name());
        if (local != null) {
            ex.termination = 'L';
            ex.termState = 'R';
            respondLocal(local, false);
            return;
        }
        BackendRuntime br = route(s, fr);
        if (br == null) {
            ex.termination = 'S';
            ex.termState = 'C';
            respondLocal(fr.errors().response(503), false);
            return;
        }
        ex.backend = br;
        local = br.rules().applyRequest(ex, h, ex.uri, br.errors(), br.name());
        if (local != null) {
            ex.termination = 'L';
            ex.termState = 'R';
            respondLocal(local, false);
            return;
        }
        prepareForUpstream(req, fr, br);
        dispatch();
    }

    /** RFC 9112 framing checks Netty leaves to the application: CL+TE, duplicate CL, Host. */
    private static boolean valid(HttpRequest req) {
        HttpHeaders h = req.headers();
        List<String> cl = h.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (cl.size() > 1 || (!cl.isEmpty() && h.contains(HttpHeaderNames.TRANSFER_ENCODING))) {
            return false;
        }
        if (!cl.isEmpty()) {
            String v = cl.get(0).trim();
            if (v.isEmpty() || v.length() > 18) {
                return false;
            }
            for (int i = 0; i < v.length(); i++) {
                if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                    return false;
                }
            }
        }
        List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!te.isEmpty() && (te.size() > 1 || !te.get(0).trim().equalsIgnoreCase("chunked")
                || req.protocolVersion() == HttpVersion.HTTP_1_0)) {
            return false;
        }
        List<String> host = h.getAll(HttpHeaderNames.HOST);
        return host.size() <= 1 && (!host.isEmpty() || req.protocolVersion() != HttpVersion.HTTP_1_1);
    }

    private BackendRuntime route(Snapshot s, FrontendRuntime fr) {
        List<FrontendRuntime.Route> routes = fr.routes();
        for (int i = 0; i < routes.size(); i++) {
            FrontendRuntime.Route r = routes.get(i);
            if (r.when().test(ex)) {
                BackendRuntime b = s.backend(r.dynamic() != null ? r.dynamic().render(ex) : r.backend());
                if (b != null) {
                    return b;
                }
            }
        }
        return s.backend(fr.defaultBackend());
    }

    private void prepareForUpstream(HttpRequest req, FrontendRuntime fr, BackendRuntime br) {
        HttpHeaders h = req.headers();
        HopByHop.strip(h, ex.upgrade);
        if (ex.upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else if (br.serverClose()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ForwardFor ff = fr.forwardFor() != null ? fr.forwardFor() : br.forwardFor();
        if (ff != null && (ff.except() == null || !ff.except().contains(cc.source().getAddress()))) {
            String name = ff.header() != null ? ff.header() : ForwardFor.DEFAULT_HEADER;
            if (!(ff.ifNone() && h.contains(name))) {
                h.add(name, cc.source().getAddress().getHostAddress());
            }
        }
        req.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    // ---------------------------------------------------------------- server selection and connection

    private void dispatch() {
        BackendRuntime br = ex.backend;
        ServerEndpoint ep = pick(br);
        if (ep == null || !ep.state().tryAcquire(ep.maxconn())) {
            if (br.anyAvailableButFull() && br.queueTimeout() > 0) {
                queued = true;
                arm(T_QUEUE, br.queueTimeout());
                br.queue().enqueue(this);
                return;
            }
            fail(503, 'S', 'C');
            return;
        }
        if (ex.queueNanos < 0) {
            ex.queueNanos = System.nanoTime();
        }
        ex.server = ep;
        ex.slotHeld = true;
        Channel ch = ep.sendProxy() == io.flagman.config.model.SendProxy.NONE && !ex.replayed
                ? ep.state().pool().poll(ctx.channel().eventLoop(), ep.poolKey()) : null;
        if (ch != null) {
            ex.reused = true;
            attach(ch, (UpstreamHandler) ch.pipeline().get("handler"));
            sendRequest();
        } else {
            connect(ep);
        }
    }

    private ServerEndpoint pick(BackendRuntime br) {
        Candidate c = br.balancer().pick(ex);
        if (ex.excluded != null && c == ex.excluded) {
            for (ServerEndpoint e : br.servers()) {
                if (e != ex.excluded && e.usable() && e.backup() == ex.excluded.backup()) {
                    return e;
                }
            }
        }
        return (ServerEndpoint) c;
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public boolean cancelled() {
        return !queued || closing;
    }

    @Override
    public void dequeued() {
        if (!queued || closing || ex == null) {
            return;
        }
        queued = false;
        deadline = Long.MAX_VALUE;
        dispatch();
    }

    private void connect(ServerEndpoint ep) {
        ex.reused = false;
        BackendRuntime br = ex.backend;
        long t0 = System.nanoTime();
        ChannelFuture f = context.connector().connect(ctx.channel().eventLoop(), ep, (int) br.connectTimeout(),
                cc.source(), cc.destination(), p -> {
                    p.addLast("http-codec", new HttpClientCodec(new HttpDecoderConfig()
                            .setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADER_SIZE * 4)
                            .setMaxChunkSize(MAX_CHUNK), HttpClientCodec.DEFAULT_FAIL_ON_MISSING_RESPONSE,
                            HttpClientCodec.DEFAULT_PARSE_HTTP_AFTER_CONNECT_REQUEST));
                    p.addLast("handler", new UpstreamHandler(ep.state(), this));
                });
        HttpExchange started = ex;
        f.addListener((ChannelFutureListener) cf -> onConnected(cf, started, ep, t0));
    }

    private void onConnected(ChannelFuture cf, HttpExchange started, ServerEndpoint ep, long t0) {
        if (ex != started || closing) {
            if (cf.isSuccess()) {
                cf.channel().close();
            }
            return;
        }
        if (cf.isSuccess()) {
            ex.connectNanos = System.nanoTime();
            attach(cf.channel(), (UpstreamHandler) cf.channel().pipeline().get("handler"));
            sendRequest();
            return;
        }
        ep.state().countConnectError();
        releaseSlot();
        BackendRuntime br = ex.backend;
        if (ex.attempts < br.retries()) {
            ex.attempts++;
            ep.state().countRetry();
            if (br.redispatch() && ex.attempts == br.retries()) {
                ex.excluded = ep;
                ep.state().countRedispatch();
                dispatch();
            } else if (ep.usable() && ep.state().tryAcquire(ep.maxconn())) {
                ex.slotHeld = true;
                connect(ep);
            } else {
                dispatch();
            }
            return;
        }
        fail(503, 'S', 'C');
    }

    private void attach(Channel ch, UpstreamHandler h) {
        upstream = ch;
        upstreamHandler = h;
        h.owner = this;
    }

    /** Writes the request head and whatever body is already here, then waits for the response. */
    private void sendRequest() {
        if (ex.replayed && requestDone) {
            upstream.write(ex.request, upstream.voidPromise());
            upstream.write(LastHttpContent.EMPTY_LAST_CONTENT, upstream.voidPromise());
        } else {
            upstream.write(ex.request, upstream.voidPromise());
        }
        if (requestDone) {
            arm(T_SERVER, ex.backend.serverTimeout());
        } else {
            arm(T_CLIENT, lastFrontend.clientTimeout());
        }
        upstream.flush();
        upstream.read();
        drain();
    }

    // ---------------------------------------------------------------- upstream side

    void onUpstreamMessage(Channel ch, Object msg) {
        if (ch != upstream || ex == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse r) {
            onResponseHead(r);
        }
        if (msg instanceof HttpContent c) {
            onResponseContent(c);
        }
    }

    private void onResponseHead(HttpResponse r) {
        if (r.decoderResult().isFailure()) {
            ex.server.state().countResponseError();
            fail(502, 'S', 'H');
            return;
        }
        int code = r.status().code();
        if (code == 101 && ex.upgrade) {
            tunnel(r);
            return;
        }
        if (code >= 100 && code < 200) {
            informational = true;
            HopByHop.strip(r.headers(), false);
            ctx.write(r, ctx.voidPromise());
            return;
        }
        ex.status = code;
        ex.responseNanos = System.nanoTime();
        responseStarted = true;
        HttpHeaders h = r.headers();
        boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r);
        boolean bodiless = ex.head || code == 204 || code == 304;
        upstreamReusable = HttpUtil.isKeepAlive(r) && !ex.backend.serverClose() && (framed || bodiless)
                && ex.server.sendProxy() == io.flagman.config.model.SendProxy.NONE;
        HopByHop.strip(h, false);
        if (!framed && !bodiless) {
            if (ex.request.headers() != null && ex.version.equals("HTTP/1.1")) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                clientKeepAlive = false;
            }
        }
        ex.responseHeaders = h;
        ex.backend.rules().applyResponse(ex, h);
        lastFrontendOf(ex).rules().applyResponse(ex, h);
        if (!clientKeepAlive || draining) {
            clientKeepAlive = false;
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.version.equals("HTTP/1.0")) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        ctx.write(r, ctx.voidPromise());
    }

    private static FrontendRuntime lastFrontendOf(HttpExchange ex) {
        return ex.frontend;
    }

    private void onResponseContent(HttpContent c) {
        if (informational) {
            c.release();
            if (c instanceof LastHttpContent) {
                informational = false;
                ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
                ctx.flush();
            }
            return;
        }
        if (!responseStarted) {
            c.release();
            return;
        }
        ex.bytesOut += c.content().readableBytes();
        if (c instanceof LastHttpContent) {
            responseComplete(c);
        } else {
            arm(T_SERVER, ex.backend.serverTimeout());
            ctx.write(c, ctx.voidPromise());
        }
    }

    void onUpstreamReadComplete(Channel ch) {
        if (ch != upstream) {
            return;
        }
        ctx.flush();
        if (ctx.channel().isWritable()) {
            upstream.read();
        }
    }

    void onUpstreamClosed(Channel ch) {
        if (ch != upstream || ex == null) {
            return;
        }
        upstream = null;
        upstreamHandler = null;
        if (responseStarted) {
            ex.termination = 'S';
            ex.termState = 'D';
            endExchange(false);
            ctx.flush();
            closing = true;
            ctx.close();
            return;
        }
        releaseSlot();
        if (ex.reused && !ex.hasBody && !ex.replayed && requestDone) {
            ex.replayed = true;
            dispatch();
            return;
        }
        ex.server.state().countResponseError();
        fail(502, 'S', 'H');
    }

    private void responseComplete(HttpContent last) {
        Channel up = upstream;
        UpstreamHandler uh = upstreamHandler;
        upstream = null;
        upstreamHandler = null;
        uh.owner = null;
        boolean keepClient = clientKeepAlive && requestDone && !draining;
        if (requestDone && upstreamReusable && up.isActive() && ex.server.state().pool().offer(up)) {
            up.read();
        } else {
            up.close();
        }
        endExchange(true);
        if (keepClient) {
            ctx.writeAndFlush(last, ctx.voidPromise());
            served++;
            FrontendRuntime fr = lastFrontend;
            arm(T_IDLE_KEEPALIVE, first(fr.keepAliveTimeout(), fr.httpRequestTimeout(), fr.clientTimeout()));
            drain();
        } else {
            closing = true;
            ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void tunnel(HttpResponse r) {
        ex.status = 101;
        ex.responseNanos = System.nanoTime();
        Channel up = upstream;
        upstreamHandler.owner = null;
        upstream = null;
        upstreamHandler = null;
        releasePending();
        closing = true;
        cancelTimer();
        ctx.writeAndFlush(r);
        BackendRuntime br = ex.backend;
        HttpExchange done = ex;
        ServerEndpoint ep = ex.server;
        ex.slotHeld = false;
        log(done);
        ex = null;
        long tunnelTimeout = br.tunnelTimeout() > 0 ? br.tunnelTimeout() : 0;
        Relay.join(ctx.channel(), "http", "http-codec", up, "handler", "http-codec",
                new Relay.Timeouts(tunnelTimeout, tunnelTimeout, 0, 0), (in, out) -> {
                    ep.state().addBytes(in, out);
                    ep.state().release();
                    if (!br.queue().isEmpty()) {
                        br.queue().wakeOne();
                    }
                });
    }

    // ---------------------------------------------------------------- local responses and errors

    private void fail(int status, char term, char state) {
        ex.termination = term;
        ex.termState = state;
        if (responseStarted) {
            endExchange(false);
            closing = true;
            ctx.close();
            return;
        }
        BackendRuntime br = ex.backend;
        respondLocal((br != null ? br.errors() : ex.frontend.errors()).response(status), false);
    }

    /** Answers without a server. The rest of the request body, if any, is discarded and the connection closed. */
    private void respondLocal(FullHttpResponse resp, boolean forceClose) {
        releaseSlot();
        if (upstream != null) {
            UpstreamHandler uh = upstreamHandler;
            uh.owner = null;
            upstream.close();
            upstream = null;
            upstreamHandler = null;
        }
        ex.status = resp.status().code();
        ex.bytesOut = resp.content().readableBytes();
        boolean keep = !forceClose && clientKeepAlive && !draining && (!ex.hasBody || requestDone);
        if (!requestDone && !forceClose) {
            discarding = !pendingHasLast();
            dropPendingBody();
        }
        if (!keep) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.version.equals("HTTP/1.0")) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        endExchange(true);
        if (keep) {
            ctx.writeAndFlush(resp, ctx.voidPromise());
            FrontendRuntime fr = lastFrontend;
            arm(T_IDLE_KEEPALIVE, first(fr.keepAliveTimeout(), fr.httpRequestTimeout(), fr.clientTimeout()));
        } else {
            closing = true;
            releasePending();
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private boolean pendingHasLast() {
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
    private void dropPendingBody() {
        while (!pending.isEmpty() && pending.peek() instanceof HttpContent) {
            Object o = pending.poll();
            ReferenceCountUtil.release(o);
            if (o instanceof LastHttpContent) {
                return;
            }
        }
    }

    private void releasePending() {
        Object o;
        while ((o = pending.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
    }

    /** Ends the current exchange: frees the server slot, logs, forgets it. */
    private void endExchange(boolean normal) {
        HttpExchange done = ex;
        if (done == null) {
            return;
        }
        queued = false;
        releaseSlot();
        if (upstream != null) {
            upstreamHandler.owner = null;
            upstream.close();
            upstream = null;
            upstreamHandler = null;
        }
        if (done.server != null) {
            done.server.state().addBytes(done.bytesIn, done.bytesOut);
        }
        log(done);
        ex = null;
    }

    private void log(HttpExchange done) {
        FrontendRuntime fr = done.frontend;
        if (fr.log() != null && (fr.httpLog() || fr.tcpLog())) {
            fr.log().log(HttpLog.httpLine(done, System.nanoTime(), cc.listener().activeConnections()));
        }
    }

    private void releaseSlot() {
        HttpExchange e = ex;
        if (e != null && e.slotHeld) {
            e.slotHeld = false;
            e.server.state().release();
            BackendRuntime br = e.backend;
            if (!br.queue().isEmpty()) {
                br.queue().wakeOne();
            }
        }
    }

    // ---------------------------------------------------------------- timers

    private static long first(long... values) {
        for (long v : values) {
            if (v > 0) {
                return v;
            }
        }
        return 0;
    }

    /** Moves the single deadline; reschedules only when the new deadline is earlier than the pending timer. */
    private void arm(int kind, long millis) {
        if (millis <= 0) {
            deadline = Long.MAX_VALUE;
            return;
        }
        timerKind = kind;
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        if (timer == null || timerAt > deadline) {
            if (timer != null) {
                timer.cancel(false);
            }
            timerAt = deadline;
            timer = ctx.executor().schedule(timerTask, millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Drops the pending timer. A scheduled task keeps this handler, its channel and pipeline reachable until it
     * fires (up to {@code timeout client}, 30 s typically): at thousands of connections per second that retained
     * hundreds of MB and made young collections copy them (70-100 ms pauses in conn/request).
     */
    private void cancelTimer() {
        deadline = Long.MAX_VALUE;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void onTimer() {
        timer = null;
        if (deadline == Long.MAX_VALUE || closing) {
            return;
        }
        long now = System.nanoTime();
        if (now < deadline) {
            timerAt = deadline;
            timer = ctx.executor().schedule(timerTask, deadline - now, TimeUnit.NANOSECONDS);
            return;
        }
        deadline = Long.MAX_VALUE;
        switch (timerKind) {
            case T_IDLE_FIRST -> {
                if (ex == null) {
                    closing = true;
                    FullHttpResponse r = lastFrontend.errors().response(408);
                    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                    releasePending();
                }
            }
            case T_IDLE_KEEPALIVE -> {
                if (ex == null) {
                    closing = true;
                    ctx.close();
                }
            }
            case T_CLIENT -> {
                if (ex != null) {
                    fail(408, 'c', 'D');
                }
            }
            case T_SERVER -> {
                if (ex != null) {
                    fail(504, 's', 'H');
                }
            }
            case T_QUEUE -> {
                if (ex != null && queued) {
                    queued = false;
                    fail(503, 's', 'Q');
                }
            }
            default -> { }
        }
    }
}
