package io.flagman.proxy.http;

import io.flagman.config.model.SendProxy;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.balance.Candidate;
import io.flagman.proxy.upstream.BackendQueue;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * Gets an exchange to a server: picks one (slot taken with a CAS, else the backend's queue), reuses an idle pooled
 * connection of this event loop or connects on it, and after a failed connect retries ({@code retries},
 * {@code option redispatch}). Each step returns a {@link Dispatch} the handler acts on; connect completions and
 * queue wake-ups go to the handler too. On the client connection's loop; it is the connection's
 * {@link BackendQueue.Waiter}.
 */
final class UpstreamForwarder implements BackendQueue.Waiter {
    /** Response decoder limits (immutable once built, shared by every upstream codec). */
    private static final HttpDecoderConfig CLIENT_DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(HttpFrontendHandler.MAX_INITIAL_LINE)
            .setMaxHeaderSize(HttpFrontendHandler.MAX_HEADER_SIZE * 4)
            .setMaxChunkSize(HttpFrontendHandler.MAX_CHUNK);

    /** Where a dispatch left the exchange. */
    enum Dispatch {
        /** In the backend's queue (this forwarder is the waiter). */
        QUEUED,
        /**
         * Slot taken ({@link HttpExchange#server}), no idle connection: the handler enters CONNECTING, then calls
         * {@link #connect}, whose completion (possibly at once) goes to {@link HttpFrontendHandler#onConnectDone}.
         */
        CONNECT,
        /** Slot taken, an idle pooled connection is ready: {@link #takePooled()}. */
        POOLED,
        /** No server can take it now and it cannot wait: 503. */
        NO_SERVER
    }

    private final HttpFrontendHandler h;
    private Channel pooled;
    private ChannelFuture pendingConnect;

    UpstreamForwarder(HttpFrontendHandler h) {
        this.h = h;
    }

    Dispatch dispatch(HttpExchange ex) {
        BackendRuntime br = ex.backend;
        ServerEndpoint ep = pick(ex, br);
        if (ep == null || !ep.state().tryAcquire(ep.maxconn())) {
            if (br.anyAvailableButFull() && br.queueTimeout() > 0) {
                br.queue().enqueue(this);
                return Dispatch.QUEUED;
            }
            return Dispatch.NO_SERVER;
        }
        if (ex.queueNanos < 0) {
            ex.queueNanos = System.nanoTime();
        }
        ex.server = ep;
        ex.slotHeld = true;
        Channel ch = ep.sendProxy() == SendProxy.NONE && !ex.replayed
                ? ep.state().pool().poll(h.ctx.channel().eventLoop(), ep.poolKey()) : null;
        if (ch != null) {
            ex.reused = true;
            pooled = ch;
            return Dispatch.POOLED;
        }
        return Dispatch.CONNECT;
    }

    /** The pooled connection {@link Dispatch#POOLED} found. */
    Channel takePooled() {
        Channel ch = pooled;
        pooled = null;
        return ch;
    }

    /**
     * After a failed connect to {@code ep} (its slot already released): another attempt on the same server, the
     * last one elsewhere with {@code option redispatch}, or {@link Dispatch#NO_SERVER} when none is left.
     */
    Dispatch retry(HttpExchange ex, ServerEndpoint ep) {
        BackendRuntime br = ex.backend;
        if (ex.attempts >= br.retries()) {
            return Dispatch.NO_SERVER;
        }
        ex.attempts++;
        ep.state().countRetry();
        if (br.redispatch() && ex.attempts == br.retries()) {
            ex.excluded = ep;
            ep.state().countRedispatch();
            return dispatch(ex);
        }
        if (ep.usable() && ep.state().tryAcquire(ep.maxconn())) {
            ex.slotHeld = true;
            return Dispatch.CONNECT;
        }
        return dispatch(ex);
    }

    /** Drops a connect still under way (its channel closes; the completion is then stale for the handler). */
    void cancelConnect() {
        ChannelFuture f = pendingConnect;
        if (f != null) {
            pendingConnect = null;
            f.channel().close();
        }
    }

    private static ServerEndpoint pick(HttpExchange ex, BackendRuntime br) {
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
        return h.ctx.channel().eventLoop();
    }

    @Override
    public boolean cancelled() {
        return h.phase() != ExchangePhase.QUEUED;
    }

    @Override
    public void dequeued() {
        h.onDequeued();
    }

    /** Connects to the exchange's server on this loop; the completion goes to the handler. */
    void connect(HttpExchange ex) {
        ServerEndpoint ep = ex.server;
        ex.reused = false;
        ChannelFuture f = h.context.connector().connect(h.ctx.channel().eventLoop(), ep,
                (int) ex.backend.connectTimeout(), h.cc.source(), h.cc.destination(), p -> {
                    p.addLast("http-codec", new StrictClientCodec(CLIENT_DECODER));
                    p.addLast("handler", new UpstreamHandler(ep.state(), h));
                });
        pendingConnect = f;
        f.addListener((ChannelFutureListener) cf -> {
            if (pendingConnect == cf) {
                pendingConnect = null;
            }
            h.onConnectDone(cf, ex, ep);
        });
    }
}
