package io.flagman.proxy.http;

import io.flagman.config.model.SendProxy;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.tcp.Relay;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The server's side of an exchange, relayed to the client: the response head (hop-by-hop removal, framing for
 * the client, backend then frontend {@code http-response} rules, {@code Connection}), body chunks with
 * backpressure (the upstream is read again only while the client is writable), the end of the response (the
 * upstream back to this loop's pool or closed; the next request), a server that closes early (replay once on a
 * reused connection) and {@code 101} to an {@code Upgrade} (a {@link Relay} tunnel). On the client's loop.
 */
final class ResponseRelay {
    private final HttpFrontendHandler h;
    /** The response head, written to the client with the first good body bytes or at the end of the read. */
    private HttpResponse held;
    private HttpExchange heldFor;

    ResponseRelay(HttpFrontendHandler h) {
        this.h = h;
    }

    void onMessage(Channel ch, Object msg) {
        if (ch != h.upstream || h.ex == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse r) {
            onHead(r);
        }
        if (msg instanceof HttpContent c) {
            onContent(c);
        }
    }

    private void onHead(HttpResponse r) {
        HttpExchange ex = h.ex;
        if (r.decoderResult().isFailure()) {
            ex.server.state().countResponseError();
            h.local.fail(502, 'P', 'H'); // HAProxy's flags for a response the proxy refused
            return;
        }
        int code = r.status().code();
        if (code == 101 && ex.upgrade) {
            tunnel(r);
            return;
        }
        if (code >= 100 && code < 200) {
            h.informational = true;
            HopByHop.strip(r.headers(), false);
            h.ctx.write(r, h.ctx.voidPromise());
            return;
        }
        ex.status = code;
        ex.responseNanos = System.nanoTime();
        h.responseStarted = true;
        HttpHeaders headers = r.headers();
        boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r);
        boolean bodiless = ex.head || code == 204 || code == 304;
        h.upstreamReusable = HttpUtil.isKeepAlive(r) && !ex.backend.serverClose() && !ex.frontend.serverClose() && (framed || bodiless)
                && ex.server.sendProxy() == SendProxy.NONE;
        HopByHop.strip(headers, false);
        if (!framed && !bodiless) {
            if (ex.request.headers() != null && ex.version.equals("HTTP/1.1")) {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                h.clientKeepAlive = false;
            }
        }
        ex.responseHeaders = headers;
        ex.backend.rules().applyResponse(ex, headers);
        ex.frontend.rules().applyResponse(ex, headers);
        if (!h.clientKeepAlive || h.draining) {
            h.clientKeepAlive = false;
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.version.equals("HTTP/1.0")) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        ex.bytesOut += HeadSize.of(r);
        held = r;
        heldFor = ex;
    }

    /** Writes the held response head (not flushed). */
    private void writeHead() {
        if (held != null) {
            if (heldFor == h.ex) {
                h.ctx.write(held, h.ctx.voidPromise());
            }
            held = null;
            heldFor = null;
        }
    }

    private void onContent(HttpContent c) {
        if (c.decoderResult().isFailure()) {
            c.release();
            h.ex.server.state().countResponseError();
            h.responseStarted = held == null && h.responseStarted; // a head still held was never sent: 502
            held = null;
            h.local.fail(502, 'P', 'H');
            return;
        }
        if (h.informational) {
            c.release();
            if (c instanceof LastHttpContent) {
                h.informational = false;
                h.ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, h.ctx.voidPromise());
                h.ctx.flush();
            }
            return;
        }
        if (!h.responseStarted) {
            c.release();
            return;
        }
        h.ex.bytesOut += c.content().readableBytes();
        writeHead();
        if (c instanceof LastHttpContent) {
            complete(c);
        } else {
            h.timer.arm(ExchangeTimer.SERVER, h.ex.backend.serverTimeout());
            h.ctx.write(c, h.ctx.voidPromise());
        }
    }

    /** End of an upstream read burst: flush what was written to the client, read more if it can take it. */
    void onReadComplete(Channel ch) {
        if (ch != h.upstream) {
            return;
        }
        writeHead();
        h.ctx.flush();
        if (h.ctx.channel().isWritable()) {
            ch.read();
        }
    }

    void onClosed(Channel ch) {
        HttpExchange ex = h.ex;
        if (ch != h.upstream || ex == null) {
            return;
        }
        h.upstream = null;
        h.upstreamHandler = null;
        if (h.responseStarted) {
            ex.termination = 'S';
            ex.termState = 'D';
            writeHead();
            h.local.endExchange();
            h.ctx.flush();
            h.closing = true;
            h.ctx.close();
            return;
        }
        h.local.releaseSlot();
        if (ex.reused && !ex.hasBody && !ex.replayed && h.requestDone) {
            ex.replayed = true;
            h.forwarder.dispatch();
            return;
        }
        ex.server.state().countResponseError();
        h.local.fail(502, 'S', 'H');
    }

    private void complete(HttpContent last) {
        Channel up = h.upstream;
        UpstreamHandler uh = h.upstreamHandler;
        h.upstream = null;
        h.upstreamHandler = null;
        uh.owner = null;
        boolean keepClient = h.clientKeepAlive && h.requestDone && !h.draining;
        if (h.requestDone && h.upstreamReusable && up.isActive() && h.ex.server.state().pool().offer(up)) {
            up.read();
        } else {
            up.close();
        }
        h.local.endExchange();
        if (keepClient) {
            h.ctx.writeAndFlush(last, h.ctx.voidPromise());
            h.served++;
            h.armKeepAlive();
            h.drain();
        } else {
            h.closing = true;
            h.ctx.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void tunnel(HttpResponse r) {
        HttpExchange ex = h.ex;
        ex.status = 101;
        ex.responseNanos = System.nanoTime();
        Channel up = h.upstream;
        h.upstreamHandler.owner = null;
        h.upstream = null;
        h.upstreamHandler = null;
        h.releasePending();
        h.closing = true;
        h.timer.cancel();
        h.ctx.writeAndFlush(r);
        BackendRuntime br = ex.backend;
        ServerEndpoint ep = ex.server;
        ex.slotHeld = false;
        h.local.log(ex);
        h.ex = null;
        long tunnelTimeout = br.tunnelTimeout() > 0 ? br.tunnelTimeout() : 0;
        Relay.join(h.ctx.channel(), "http", "http-codec", up, "handler", "http-codec",
                new Relay.Timeouts(tunnelTimeout, tunnelTimeout, 0, 0), (in, out) -> {
                    ep.state().addBytes(in, out);
                    ep.state().release();
                    if (!br.queue().isEmpty()) {
                        br.queue().wakeOne();
                    }
                });
    }
}
