package io.flagman.proxy.http;

import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.FrontendRuntime;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;

/**
 * The end of an exchange: answers without a server (rules, routing failures, errors with the backend's or
 * frontend's {@code errorfile}), frees the server slot (waking a queued request), logs one line and forgets the
 * exchange. Logging costs nothing unless the frontend has a log target and {@code option httplog|tcplog}. On the
 * client connection's loop.
 */
final class LocalResponses {
    private final HttpFrontendHandler h;

    LocalResponses(HttpFrontendHandler h) {
        this.h = h;
    }

    /** Fails the exchange: an error page if nothing was sent to the client yet, else a close. */
    void fail(int status, char term, char state) {
        HttpExchange ex = h.ex;
        ex.termination = term;
        ex.termState = state;
        if (h.responseStarted) {
            endExchange();
            h.closing = true;
            h.ctx.close();
            return;
        }
        BackendRuntime br = ex.backend;
        respond((br != null ? br.errors() : ex.frontend.errors()).response(status), false);
    }

    /** Answers without a server. The rest of the request body, if any, is discarded and the connection closed. */
    void respond(FullHttpResponse resp, boolean forceClose) {
        releaseSlot();
        h.dropUpstream();
        HttpExchange ex = h.ex;
        ex.status = resp.status().code();
        boolean keep = !forceClose && h.clientKeepAlive && !h.draining && (!ex.hasBody || h.requestDone);
        if (!h.requestDone && !forceClose) {
            h.discarding = !h.pendingHasLast();
            h.dropPendingBody();
        }
        if (!keep) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.version.equals("HTTP/1.0")) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ex.bytesOut = HeadSize.of(resp) + resp.content().readableBytes();
        endExchange();
        if (keep) {
            h.ctx.writeAndFlush(resp, h.ctx.voidPromise());
            h.armKeepAlive();
            h.drain(); // answered from an upstream event (502, 504…): nothing else reads the next request
        } else {
            h.closing = true;
            h.releasePending();
            h.ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Ends the current exchange: frees the server slot, closes an upstream still attached, logs, forgets it. */
    void endExchange() {
        HttpExchange done = h.ex;
        if (done == null) {
            return;
        }
        h.queued = false;
        releaseSlot();
        h.dropUpstream();
        if (done.server != null) {
            done.server.state().addBytes(done.bytesIn, done.bytesOut);
        }
        log(done);
        h.ex = null;
    }

    void log(HttpExchange done) {
        FrontendRuntime fr = done.frontend;
        if (fr.log() != null && (fr.httpLog() || fr.tcpLog())) {
            fr.log().log(HttpLog.httpLine(done, System.nanoTime(), h.cc.listener().activeConnections()));
        }
    }

    void releaseSlot() {
        HttpExchange e = h.ex;
        if (e != null && e.slotHeld) {
            e.slotHeld = false;
            e.server.state().release();
            BackendRuntime br = e.backend;
            if (!br.queue().isEmpty()) {
                br.queue().wakeOne();
            }
        }
    }
}
