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
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Gets the current exchange to a server: picks one (slot taken with a CAS, else the backend's queue), reuses an
 * idle pooled connection of this event loop or connects on it, retries connect failures ({@code retries},
 * {@code option redispatch}), then writes the request head and whatever body is already queued. On the client
 * connection's loop; it is the connection's {@link BackendQueue.Waiter}.
 */
final class UpstreamForwarder implements BackendQueue.Waiter {
    /** Response decoder limits (immutable once built, shared by every upstream codec). */
    private static final HttpDecoderConfig CLIENT_DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(HttpFrontendHandler.MAX_INITIAL_LINE)
            .setMaxHeaderSize(HttpFrontendHandler.MAX_HEADER_SIZE * 4)
            .setMaxChunkSize(HttpFrontendHandler.MAX_CHUNK);

    private final HttpFrontendHandler h;

    UpstreamForwarder(HttpFrontendHandler h) {
        this.h = h;
    }

    void dispatch() {
        HttpExchange ex = h.ex;
        BackendRuntime br = ex.backend;
        ServerEndpoint ep = pick(ex, br);
        if (ep == null || !ep.state().tryAcquire(ep.maxconn())) {
            if (br.anyAvailableButFull() && br.queueTimeout() > 0) {
                h.queued = true;
                h.timer.arm(ExchangeTimer.QUEUE, br.queueTimeout());
                br.queue().enqueue(this);
                return;
            }
            h.local.fail(503, 'S', 'C');
            return;
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
            attach(ch, (UpstreamHandler) ch.pipeline().get("handler"));
            sendRequest();
        } else {
            connect(ep);
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
        return !h.queued || h.closing;
    }

    @Override
    public void dequeued() {
        if (!h.queued || h.closing || h.ex == null) {
            return;
        }
        h.queued = false;
        h.timer.disarm();
        dispatch();
    }

    private void connect(ServerEndpoint ep) {
        HttpExchange ex = h.ex;
        ex.reused = false;
        long t0 = System.nanoTime();
        ChannelFuture f = h.context.connector().connect(h.ctx.channel().eventLoop(), ep,
                (int) ex.backend.connectTimeout(), h.cc.source(), h.cc.destination(), p -> {
                    p.addLast("http-codec", new StrictClientCodec(CLIENT_DECODER));
                    p.addLast("handler", new UpstreamHandler(ep.state(), h));
                });
        f.addListener((ChannelFutureListener) cf -> onConnected(cf, ex, ep, t0));
    }

    private void onConnected(ChannelFuture cf, HttpExchange started, ServerEndpoint ep, long t0) {
        HttpExchange ex = h.ex;
        if (ex != started || h.closing) {
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
        h.local.releaseSlot();
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
        h.local.fail(503, 'S', 'C');
    }

    private void attach(Channel ch, UpstreamHandler uh) {
        h.upstream = ch;
        h.upstreamHandler = uh;
        uh.owner = h;
    }

    /**
     * Writes the request head and whatever body is already queued, flushes once (deferred to the end of the
     * client's read burst when called from it), then waits for the response.
     */
    private void sendRequest() {
        HttpExchange ex = h.ex;
        Channel up = h.upstream;
        up.write(ex.request, up.voidPromise());
        if (ex.replayed && h.requestDone) {
            up.write(LastHttpContent.EMPTY_LAST_CONTENT, up.voidPromise());
        }
        if (h.requestDone) {
            h.timer.arm(ExchangeTimer.SERVER, ex.backend.serverTimeout());
        } else {
            h.timer.arm(ExchangeTimer.CLIENT, h.lastFrontend.clientTimeout());
        }
        h.forwardQueued();
        h.flushUpstream(up);
        up.read();
        h.readClientIfReady();
    }
}
