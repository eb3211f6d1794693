package io.flagman.proxy.http;

import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.FrontendRuntime;
import io.flagman.proxy.listen.ClientConnection;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;

/**
 * The bookkeeping of an exchange's end: a response made without a server gets its {@code Connection} header and
 * counts; the server slot is freed (waking a queued request); one log line. Logging costs nothing unless the
 * frontend has a log target and {@code option httplog|tcplog}. Writes only the exchange it is given; on the
 * client connection's loop.
 */
final class LocalResponses {
    private final ClientConnection cc;
    private final int loop;

    /** {@code loop}: the connection's event loop's {@code LoopIndex}, where its statistics are counted. */
    LocalResponses(ClientConnection cc, int loop) {
        this.cc = cc;
        this.loop = loop;
    }

    /** The page for {@code status}: the backend's {@code errorfile} if routed, else the frontend's. */
    static FullHttpResponse errorPage(HttpExchange ex, int status) {
        BackendRuntime br = ex.backend;
        return (br != null ? br.errors() : ex.frontend.errors()).response(status);
    }

    /** Readies a response made without a server: {@code Connection} as {@code keep} says, status and bytes. */
    void prepare(HttpExchange ex, FullHttpResponse resp, boolean keep) {
        ex.status = resp.status().code();
        if (!keep) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.version.equals("HTTP/1.0")) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ex.bytesOut = HeadSize.of(resp) + resp.content().readableBytes();
    }

    /** The exchange is over: its slot freed, it is counted on its frontend, backend and server, it is logged. */
    void finish(HttpExchange done) {
        releaseSlot(done);
        log(done);
    }

    /** Counts the exchange ({@link ExchangeStats}) and logs it: the end of an exchange, or of its HTTP part. */
    void log(HttpExchange done) {
        long now = System.nanoTime();
        ExchangeStats.finished(done, loop, now);
        FrontendRuntime fr = done.frontend;
        if (fr.log() != null && (fr.httpLog() || fr.tcpLog())) {
            fr.log().log(HttpLog.httpLine(done, now, cc.listener().activeConnections()));
        }
    }

    void releaseSlot(HttpExchange e) {
        if (e.slotHeld) {
            e.slotHeld = false;
            e.server.state().release();
            BackendRuntime br = e.backend;
            if (!br.queue().isEmpty()) {
                br.queue().wakeOne();
            }
        }
    }
}
