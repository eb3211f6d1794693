package io.flagman.proxy.http;

import io.flagman.config.model.SendProxy;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.tcp.Relay;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The server's side of an exchange, relayed to the client: the response head (hop-by-hop removal, framing for
 * the client, backend then frontend {@code http-response} rules, {@code Connection}), body chunks, the upstream
 * connection at the end (back to this loop's pool or closed) and {@code 101} to an {@code Upgrade} (a
 * {@link Relay} tunnel). Each step returns what happened; the handler moves the exchange's phase. On the
 * client's loop.
 */
final class ResponseRelay {
    /** What a response head was. */
    enum Head {
        /** Undecodable: 502. */
        BAD,
        /** A 1xx, relayed; the final response is still to come. */
        INFORMATIONAL,
        /** {@code 101} to an {@code Upgrade} request: nothing written, the handler starts the tunnel. */
        UPGRADE,
        /**
         * The final response head, held: it is written with the first good body bytes or at the end of the read
         * ({@link #writeHeld}), so a framing error found in the same read can still be answered with a 502.
         */
        FINAL
    }

    /** What a response body chunk was. */
    enum Content {
        /** Dropped (1xx bodies, anything before the final head). */
        DROPPED,
        /** Written to the client (not flushed). */
        WRITTEN,
        /** The last chunk, not written: the handler ends the exchange with it. */
        LAST,
        /** Broken framing (chunk size, CRLF, length): released; the handler answers 502 or closes. */
        BAD
    }

    private final ChannelHandlerContext ctx;
    /** The final response head not yet written to the client (within one upstream read). */
    private HttpResponse held;

    ResponseRelay(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * A response head. {@code connectionStays}: nothing on the client connection's side (drain, a FIN with no
     * request after this one) forces it to close after this response.
     */
    Head head(HttpExchange ex, HttpResponse r, boolean connectionStays) {
        if (r.decoderResult().isFailure()) {
            return Head.BAD;
        }
        int code = r.status().code();
        if (code == 101 && ex.upgrade) {
            return Head.UPGRADE;
        }
        if (code >= 100 && code < 200) {
            ex.informational = true;
            HopByHop.strip(r.headers(), false);
            ctx.write(r, ctx.voidPromise());
            return Head.INFORMATIONAL;
        }
        ex.status = code;
        ex.responseNanos = System.nanoTime();
        HttpHeaders headers = r.headers();
        boolean framed = HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r);
        boolean bodiless = ex.head || code == 204 || code == 304;
        ex.upstreamReusable = HttpUtil.isKeepAlive(r) && !ex.backend.serverClose() && !ex.frontend.serverClose()
                && (framed || bodiless) && ex.server.sendProxy() == SendProxy.NONE;
        HopByHop.strip(headers, false);
        if (!framed && !bodiless) {
            if (ex.request.headers() != null && ex.version.equals("HTTP/1.1")) {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                ex.clientKeepAlive = false;
            }
        }
        ex.responseHeaders = headers;
        ex.backend.rules().applyResponse(ex, headers);
        ex.frontend.rules().applyResponse(ex, headers);
        if (!ex.clientKeepAlive || !connectionStays) {
            ex.clientKeepAlive = false;
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.version.equals("HTTP/1.0")) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        ex.bytesOut += HeadSize.of(r);
        held = r;
        return Head.FINAL;
    }

    /** Writes the held response head, if any (not flushed). */
    void writeHeld() {
        if (held != null) {
            ctx.write(held, ctx.voidPromise());
            held = null;
        }
    }

    /** Forgets the held head; true when there was one, i.e. nothing of the response reached the client yet. */
    boolean dropHeld() {
        boolean had = held != null;
        held = null;
        return had;
    }

    /** A body chunk; {@code responding}: the final head went out. */
    Content content(HttpExchange ex, HttpContent c, boolean responding) {
        if (c.decoderResult().isFailure()) {
            c.release();
            return Content.BAD;
        }
        if (ex.informational) {
            c.release();
            if (c instanceof LastHttpContent) {
                ex.informational = false;
                ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
                ctx.flush();
            }
            return Content.DROPPED;
        }
        if (!responding) {
            c.release();
            return Content.DROPPED;
        }
        ex.bytesOut += c.content().readableBytes();
        writeHeld();
        if (c instanceof LastHttpContent) {
            return Content.LAST;
        }
        ctx.write(c, ctx.voidPromise());
        return Content.WRITTEN;
    }

    /** The response is over: the upstream goes back to this loop's pool when it can be reused, else closes. */
    static void release(HttpExchange ex, Channel up) {
        // a connection that came from the pool has now carried more than one request: a safe one, for HAProxy
        if (ex.requestDone && ex.upstreamReusable && up.isActive()
                && ex.server.state().pool().offer(up, ex.reused)) {
            up.read();
        } else {
            up.close();
        }
    }

    /** Joins the client and the server connection into a {@link Relay} tunnel (the 101 already written). */
    static void tunnel(HttpExchange ex, Channel client, Channel up) {
        BackendRuntime br = ex.backend;
        ServerEndpoint ep = ex.server;
        long tunnelTimeout = br.tunnelTimeout() > 0 ? br.tunnelTimeout() : 0;
        Relay.join(client, "http", "http-codec", up, "handler", "http-codec",
                new Relay.Timeouts(tunnelTimeout, tunnelTimeout, 0, 0), (in, out) -> {
                    ep.state().counters().here().bytes(in, out);
                    br.counters().here().bytes(in, out);
                    ex.frontend.counters().here().bytes(in, out);
                    ep.state().release();
                    if (!br.queue().isEmpty()) {
                        br.queue().wakeOne();
                    }
                });
    }
}
