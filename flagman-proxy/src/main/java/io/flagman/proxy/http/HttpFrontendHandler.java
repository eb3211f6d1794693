package io.flagman.proxy.http;

import io.flagman.proxy.FrontendRuntime;
import io.flagman.proxy.ProxyContext;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.listen.ClientConnection;
import io.flagman.proxy.listen.ClientProtocolHandler;
import io.flagman.proxy.listen.DrainEvent;
import io.flagman.proxy.stats.LoopIndex;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.flagman.proxy.service.StatsPageService;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One HTTP/1.1 client connection: decodes requests, runs rules and routing on the snapshot in force when each
 * request starts, forwards to a pooled upstream on the same event loop and relays the response back, with
 * backpressure both ways (read from one side only when the other side is writable).
 *
 * <p>Each exchange is one explicit state machine, {@link ExchangePhase}: IDLE → ROUTING → [QUEUED] → CONNECTING →
 * FORWARDING → RESPONDING → IDLE (keep-alive) or CLOSING, TUNNEL after a 101, DISCARDING after a local answer
 * that leaves a body to drop. This class owns the phase and every move ({@link #to}, which refuses an illegal
 * one), and all the connection's events: client reads, writability, FIN, close, drain, deadlines, upstream
 * reads and closes, connect completions, queue wake-ups. The steps live in helpers that return outcomes:
 * {@link RequestStart} (checks, rules, routing → a {@link RequestStart.Decision}), {@link UpstreamForwarder}
 * (server, pool, connect, retries → a {@link UpstreamForwarder.Dispatch}), {@link ResponseRelay} (response head
 * and body → {@link ResponseRelay.Head} / {@link ResponseRelay.Content}), {@link LocalResponses} (answers
 * without a server, slot, log) and {@link ExchangeTimer} (the one deadline).
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
    /** The connection's codec: what it decoded is what the client sent ({@code bin}). */
    private final StrictServerCodec codec;
    /** This connection's event loop's index: where its statistics are counted ({@link ExchangeStats}). */
    final int loop = LoopIndex.current();
    FrontendRuntime lastFrontend;
    Snapshot lastSnapshot;
    ChannelHandlerContext ctx;
    private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
    private ExchangePhase phase = ExchangePhase.IDLE;
    private HttpExchange ex;
    private Channel upstream;
    private UpstreamHandler upstreamHandler;
    /** The stats page whose admin form is being read (COLLECTING), and the form so far. */
    private StatsPageService collecting;
    private java.io.ByteArrayOutputStream form;

    /** The listener is draining (DrainEvent): close after the exchange under way. */
    boolean draining;
    /** The client shut its sending side (FIN): what was received is served, then the connection closes. */
    private boolean inputClosed;
    private int served;
    /** Between a client read and its channelReadComplete: upstream flushes wait for the end of the burst. */
    private boolean inClientRead;
    private Channel unflushed;

    final ExchangeTimer timer = new ExchangeTimer(this);
    private final RequestStart requests = new RequestStart(this);
    private final UpstreamForwarder forwarder = new UpstreamForwarder(this);
    private final LocalResponses local;
    private ResponseRelay relay;

    private HttpFrontendHandler(ClientConnection cc, ProxyContext context, FrontendRuntime fr, Snapshot s,
            StrictServerCodec codec) {
        this.codec = codec;
        this.cc = cc;
        this.context = context;
        this.lastFrontend = fr;
        this.lastSnapshot = s;
        this.local = new LocalResponses(cc, loop);
    }

    /** Request decoder limits (read, never written, by every server codec: one instance, not one per accept). */
    private static final HttpDecoderConfig SERVER_DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_INITIAL_LINE)
            .setMaxHeaderSize(MAX_HEADER_SIZE)
            .setMaxChunkSize(MAX_CHUNK)
            .setAllowDuplicateContentLengths(false);

    /** Adds the HTTP codec (with HAProxy-like limits) and the handler for {@code fr}. */
    public static void install(ChannelPipeline p, ClientConnection cc, ProxyContext context, FrontendRuntime fr) {
        StrictServerCodec codec = new StrictServerCodec(SERVER_DECODER);
        p.addLast("http-codec", codec);
        p.addLast("http", new HttpFrontendHandler(cc, context, fr, context.snapshot(), codec));
    }

    @Override
    public ClientConnection connection() {
        return cc;
    }

    @Override
    public String backendName() {
        HttpExchange e = ex;
        return e == null || e.backend == null ? null : e.backend.name();
    }

    @Override
    public String serverName() {
        HttpExchange e = ex;
        return e == null || e.server == null ? null : e.server.state().name();
    }

    // ---------------------------------------------------------------- the phase

    ExchangePhase phase() {
        return phase;
    }

    /** Moves the exchange to {@code next}; an illegal move is a bug. */
    private void to(ExchangePhase next) {
        if (!phase.canGo(next)) {
            throw new IllegalStateException("HTTP exchange cannot go from " + phase + " to " + next);
        }
        phase = next;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected void start(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.relay = new ResponseRelay(ctx);
        FrontendRuntime fr = lastFrontend;
        timer.arm(ExchangeTimer.IDLE_FIRST, ExchangeTimer.first(fr.httpRequestTimeout(), fr.clientTimeout()));
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        to(ExchangePhase.CLOSING);
        timer.cancel();
        releasePending();
        if (ex != null) {
            if (ex.status < 0) {
                ex.termination = 'C';
            }
            forwarder.cancelConnect();
            finishExchange();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DrainEvent.INSTANCE) {
            draining = true;
            if (phase.betweenExchanges() && pending.isEmpty()) {
                close();
            }
        } else if (evt instanceof ChannelInputShutdownEvent) {
            onInputClosed();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /**
     * The client sent its FIN. Requests already received in full (the current one, pipelined ones) are still
     * served, as HAProxy does; the connection closes after the last response. A request whose body the FIN cut
     * can never complete: it is aborted unless its response already started (that response is then finished).
     * With {@code option abortonclose}, a request still QUEUED or CONNECTING is aborted too. A head the FIN cut
     * reaches {@link RequestStart} as a decoding failure (400).
     */
    private void onInputClosed() {
        inputClosed = true;
        switch (phase) {
            case IDLE, DISCARDING -> {
                if (!pendingHasRequest()) {
                    close();
                }
            }
            case QUEUED, CONNECTING -> {
                if (!requestReceived()) {
                    abort('C', 'D');
                } else if (ex.backend.abortOnClose()) {
                    abort('C', phase == ExchangePhase.QUEUED ? 'Q' : 'C');
                }
            }
            case FORWARDING, COLLECTING -> {
                if (!requestReceived()) {
                    abort('C', 'D');
                }
            }
            case ROUTING, RESPONDING, TUNNEL, CLOSING -> { }
        }
    }

    /** The whole current request is here: sent up already, or its last chunk waits in {@code pending}. */
    private boolean requestReceived() {
        return ex.requestDone || pendingHasLast();
    }

    /** Nothing on the connection's side forces a close after the current exchange. */
    private boolean connectionStays() {
        return !draining && (!inputClosed || pendingHasRequest());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && upstream != null && phase == ExchangePhase.RESPONDING) {
            upstream.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ---------------------------------------------------------------- client side

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase.finished()) {
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
    private void flushUpstream(Channel up) {
        if (!inClientRead) {
            up.flush();
            return;
        }
        if (unflushed != null && unflushed != up) {
            unflushed.flush();
        }
        unflushed = up;
    }

    /** Handles queued inbound messages while the current phase can take them, then asks for more if needed. */
    private void drain() {
        Channel wrote = forwardQueued();
        if (wrote != null) {
            flushUpstream(wrote);
        }
        readClientIfReady();
    }

    /**
     * Starts queued requests when idle, drops a discarded body, and writes queued body chunks of the current
     * request upstream (not flushed). Returns the channel written to, or null.
     */
    private Channel forwardQueued() {
        Channel wrote = null;
        while (!pending.isEmpty()) {
            switch (phase) {
                case IDLE -> {
                    Object msg = pending.poll();
                    if (msg instanceof HttpRequest req) {
                        startExchange(req);
                    } else {
                        ReferenceCountUtil.release(msg);
                    }
                }
                case DISCARDING -> {
                    Object msg = pending.poll();
                    ReferenceCountUtil.release(msg);
                    if (msg instanceof LastHttpContent) {
                        to(ExchangePhase.IDLE);
                    }
                }
                case FORWARDING, RESPONDING -> {
                    if (ex.requestDone) {
                        return wrote;
                    }
                    HttpContent c = (HttpContent) pending.poll();
                    if (c.decoderResult().isFailure()) {
                        c.release(); // a broken chunk: none of it goes upstream, and the framing is lost
                        ex.clientKeepAlive = false;
                        fail(400, 'P', 'R');
                        return wrote;
                    }
                    ex.bytesIn += c.content().readableBytes();
                    if (c instanceof LastHttpContent) {
                        ex.requestDone = true;
                        timer.arm(ExchangeTimer.SERVER, ex.backend.serverTimeout());
                    } else {
                        timer.arm(ExchangeTimer.CLIENT, lastFrontend.clientTimeout());
                    }
                    upstream.write(c, upstream.voidPromise());
                    wrote = upstream;
                }
                case COLLECTING -> collected((HttpContent) pending.poll());
                case ROUTING, QUEUED, CONNECTING, TUNNEL, CLOSING -> {
                    return wrote;
                }
            }
        }
        return wrote;
    }

    /** Reads the client again when everything queued was handled and the current phase wants more input. */
    private void readClientIfReady() {
        if (pending.isEmpty() && !inputClosed && wantsClientInput()) {
            ctx.read();
        }
    }

    private boolean wantsClientInput() {
        return switch (phase) {
            case IDLE, DISCARDING, COLLECTING -> true;
            case FORWARDING, RESPONDING -> !ex.requestDone && upstream.isWritable();
            case ROUTING, QUEUED, CONNECTING, TUNNEL, CLOSING -> false;
        };
    }

    void onUpstreamWritable(Channel ch) {
        if (ch == upstream && pending.isEmpty() && ex != null && !ex.requestDone && !inputClosed) {
            ctx.read();
        }
    }

    private void armKeepAlive() {
        FrontendRuntime fr = lastFrontend;
        timer.arm(ExchangeTimer.IDLE_KEEPALIVE,
                ExchangeTimer.first(fr.keepAliveTimeout(), fr.httpRequestTimeout(), fr.clientTimeout()));
    }

    // ---------------------------------------------------------------- the exchange

    private void startExchange(HttpRequest req) {
        to(ExchangePhase.ROUTING);
        HttpExchange e = requests.open(req);
        ex = e;
        lastSnapshot = e.snapshot;
        lastFrontend = e.frontend;
        timer.disarm();
        switch (requests.decide(e)) {
            case RequestStart.Answer a -> answer(a.response(), a.close());
            case RequestStart.Forward f -> dispatch();
            case RequestStart.Collect c -> collect(c.page());
        }
    }

    /** Starts reading the body of an admin form the stats page will apply (COLLECTING, bounded). */
    private void collect(StatsPageService page) {
        to(ExchangePhase.COLLECTING);
        collecting = page;
        form = new java.io.ByteArrayOutputStream();
        timer.arm(ExchangeTimer.CLIENT, lastFrontend.clientTimeout());
    }

    /** One chunk of the admin form; at its end the stats page applies it and answers. */
    private void collected(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (c.decoderResult().isFailure()) {
            c.release();
            ex.clientKeepAlive = false;
            fail(400, 'P', 'R');
            return;
        }
        ex.bytesIn += c.content().readableBytes();
        if (form.size() + c.content().readableBytes() > StatsPageService.MAX_FORM) {
            c.release();
            ex.clientKeepAlive = false;
            fail(413, 'P', 'R');
            return;
        }
        c.content().forEachByte(b -> {
            form.write(b);
            return true;
        });
        c.release();
        if (last) {
            ex.requestDone = true;
            StatsPageService page = collecting;
            collecting = null;
            answer(page.admin(form.toString(java.nio.charset.StandardCharsets.UTF_8), context.stats()), false);
        }
    }

    private void dispatch() {
        onDispatch(forwarder.dispatch(ex));
    }

    private void onDispatch(UpstreamForwarder.Dispatch d) {
        switch (d) {
            case QUEUED -> {
                to(ExchangePhase.QUEUED);
                timer.arm(ExchangeTimer.QUEUE, ex.backend.queueTimeout());
            }
            case CONNECT -> {
                to(ExchangePhase.CONNECTING);
                forwarder.connect(ex);
            }
            case POOLED -> beginForwarding(forwarder.takePooled());
            case NO_SERVER -> fail(503, 'S', 'C');
        }
    }

    /** A server slot freed up for the queued request (on this loop). */
    void onDequeued() {
        if (phase != ExchangePhase.QUEUED) {
            return;
        }
        timer.disarm();
        dispatch();
    }

    /** A connect started for {@code started} completed; stale when that exchange is gone or moved on. */
    void onConnectDone(ChannelFuture cf, HttpExchange started, ServerEndpoint ep) {
        if (started != ex || phase != ExchangePhase.CONNECTING) {
            if (cf.isSuccess()) {
                cf.channel().close();
            }
            return;
        }
        if (cf.isSuccess()) {
            ex.connectNanos = System.nanoTime();
            beginForwarding(cf.channel());
            return;
        }
        ep.state().countConnectError();
        local.releaseSlot(ex);
        onDispatch(forwarder.retry(ex, ep));
    }

    /**
     * Attaches {@code up}, writes the request head and whatever body is already queued, flushes once (deferred
     * to the end of the client's read burst when called from it), then waits for the response.
     */
    private void beginForwarding(Channel up) {
        UpstreamHandler uh = (UpstreamHandler) up.pipeline().get("handler");
        upstream = up;
        upstreamHandler = uh;
        uh.owner = this;
        to(ExchangePhase.FORWARDING);
        up.write(ex.request, up.voidPromise());
        if (ex.replayed && ex.requestDone) {
            up.write(LastHttpContent.EMPTY_LAST_CONTENT, up.voidPromise());
        }
        if (ex.requestDone) {
            timer.arm(ExchangeTimer.SERVER, ex.backend.serverTimeout());
        } else {
            timer.arm(ExchangeTimer.CLIENT, lastFrontend.clientTimeout());
        }
        forwardQueued();
        if (upstream != up) {
            return; // the queued body was refused: the exchange ended and the upstream is closed, unflushed
        }
        flushUpstream(up);
        up.read();
        readClientIfReady();
    }

    // ---------------------------------------------------------------- server side

    void onUpstreamRead(Channel ch, Object msg) {
        if (ch != upstream || ex == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse r) {
            switch (relay.head(ex, r, connectionStays())) {
                case BAD -> {
                    ReferenceCountUtil.release(msg);
                    ex.server.state().countResponseError();
                    fail(502, 'P', 'H'); // HAProxy's flags for a response the proxy refused
                    return;
                }
                case UPGRADE -> {
                    tunnel(r);
                    return;
                }
                case FINAL -> to(ExchangePhase.RESPONDING);
                case INFORMATIONAL -> { }
            }
        }
        if (msg instanceof HttpContent c) {
            switch (relay.content(ex, c, phase == ExchangePhase.RESPONDING)) {
                case LAST -> complete(c);
                case WRITTEN -> timer.arm(ExchangeTimer.SERVER, ex.backend.serverTimeout());
                case DROPPED -> { }
                case BAD -> badResponseBody();
            }
        }
    }

    /**
     * The server's framing broke after its head: a 502 when nothing of the response went out yet (the head is
     * still held), else a close without the last chunk, so the client never takes it as complete. The upstream
     * connection is closed, never pooled.
     */
    private void badResponseBody() {
        ex.server.state().countResponseError();
        ex.termination = 'P';
        ex.termState = 'H';
        if (relay.dropHeld()) {
            answer(LocalResponses.errorPage(ex, 502), false);
        } else {
            finishExchange();
            ctx.flush();
            close();
        }
    }

    /** End of an upstream read burst: flush what was written to the client, read more if it can take it. */
    void onUpstreamReadComplete(Channel ch) {
        if (ch != upstream) {
            return;
        }
        relay.writeHeld();
        ctx.flush();
        if (ctx.channel().isWritable()) {
            ch.read();
        }
    }

    void onUpstreamClosed(Channel ch) {
        if (ch != upstream || ex == null) {
            return;
        }
        upstream = null;
        upstreamHandler = null;
        if (phase == ExchangePhase.RESPONDING) {
            ex.termination = 'S';
            ex.termState = 'D';
            relay.writeHeld();
            finishExchange();
            ctx.flush();
            close();
            return;
        }
        local.releaseSlot(ex);
        if (ex.reused && !ex.hasBody && !ex.replayed && ex.requestDone) {
            ex.replayed = true;
            dispatch();
            return;
        }
        ex.server.state().countResponseError();
        fail(502, 'S', 'H');
    }

    /** The response's last chunk: the upstream to the pool or closed, then the next request or the close. */
    private void complete(HttpContent last) {
        Channel up = upstream;
        upstreamHandler.owner = null;
        upstream = null;
        upstreamHandler = null;
        boolean keep = ex.requestDone && ex.clientKeepAlive && connectionStays();
        ResponseRelay.release(ex, up);
        finishExchange();
        if (keep) {
            to(ExchangePhase.IDLE);
            ctx.writeAndFlush(last, ctx.voidPromise());
            served++;
            armKeepAlive();
            drain();
        } else {
            to(ExchangePhase.CLOSING);
            ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void tunnel(HttpResponse r) {
        HttpExchange done = ex;
        done.status = 101;
        done.responseNanos = System.nanoTime();
        Channel up = upstream;
        upstreamHandler.owner = null;
        upstream = null;
        upstreamHandler = null;
        releasePending();
        to(ExchangePhase.TUNNEL);
        timer.cancel();
        ctx.writeAndFlush(r);
        done.slotHeld = false; // the tunnel releases it when it ends
        done.received = codec.takeReceived();
        local.log(done);
        ex = null;
        ResponseRelay.tunnel(done, ctx.channel(), up);
        if (inputClosed) {
            // the client's FIN came before the tunnel: the relay passes it on to the server as if it came now
            ctx.channel().pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    // ---------------------------------------------------------------- ends

    /** Fails the exchange: an error page if nothing was sent to the client yet, else a close. */
    private void fail(int status, char term, char state) {
        ex.termination = term;
        ex.termState = state;
        if (phase == ExchangePhase.RESPONDING) {
            finishExchange();
            close();
            return;
        }
        answer(LocalResponses.errorPage(ex, status), false);
    }

    /**
     * Answers without a server. The rest of the request body, if any, is discarded (DISCARDING) or the connection
     * closed; {@code forceClose} closes it whatever the keep-alive state.
     */
    private void answer(FullHttpResponse resp, boolean forceClose) {
        HttpExchange e = ex;
        forwarder.cancelConnect();
        local.releaseSlot(e);
        dropUpstream();
        boolean keep = !forceClose && e.clientKeepAlive && connectionStays() && (!e.hasBody || e.requestDone);
        boolean discard = false;
        if (!e.requestDone && !forceClose) {
            discard = !pendingHasLast();
            dropPendingBody();
        }
        local.prepare(e, resp, keep);
        finishExchange();
        if (keep) {
            to(discard ? ExchangePhase.DISCARDING : ExchangePhase.IDLE);
            ctx.writeAndFlush(resp, ctx.voidPromise());
            armKeepAlive();
            if (!inClientRead) {
                drain(); // answered from an upstream event or a timer (502, 504…): nothing else reads the next request
            }
        } else {
            to(ExchangePhase.CLOSING);
            releasePending();
            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Ends the exchange without a response and closes the connection. */
    private void abort(char term, char state) {
        ex.termination = term;
        ex.termState = state;
        forwarder.cancelConnect();
        finishExchange();
        releasePending();
        close();
    }

    /** Ends the current exchange: frees the server slot, closes an upstream still attached, logs, forgets it. */
    private void finishExchange() {
        HttpExchange done = ex;
        if (done == null) {
            return;
        }
        dropUpstream();
        done.received = codec.takeReceived();
        local.finish(done);
        ex = null;
    }

    private void close() {
        to(ExchangePhase.CLOSING);
        ctx.close();
    }

    /** A deadline of {@link ExchangeTimer} passed. */
    void onTimeout(int kind) {
        switch (kind) {
            case ExchangeTimer.IDLE_FIRST -> {
                if (ex == null) {
                    to(ExchangePhase.CLOSING);
                    FullHttpResponse r = lastFrontend.errors().response(408);
                    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                    releasePending();
                }
            }
            case ExchangeTimer.IDLE_KEEPALIVE -> {
                if (ex == null) {
                    close();
                }
            }
            case ExchangeTimer.CLIENT -> {
                if (ex != null) {
                    fail(408, 'c', 'D');
                }
            }
            case ExchangeTimer.SERVER -> {
                if (ex != null) {
                    fail(504, 's', 'H');
                }
            }
            case ExchangeTimer.QUEUE -> {
                if (phase == ExchangePhase.QUEUED) {
                    fail(503, 's', 'Q');
                }
            }
            default -> { }
        }
    }

    /** Detaches and closes the upstream connection of the current exchange, if any. */
    private void dropUpstream() {
        if (upstream != null) {
            upstreamHandler.owner = null;
            upstream.close();
            upstream = null;
            upstreamHandler = null;
        }
    }

    // ---------------------------------------------------------------- queued input

    private boolean pendingHasRequest() {
        for (Object o : pending) {
            if (o instanceof HttpRequest) {
                return true;
            }
        }
        return false;
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
}
