package io.flagman.proxy.http;

import io.flagman.config.model.ForwardFor;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.FrontendRuntime;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.listen.ClientConnection;
import io.flagman.proxy.service.StatsPageService;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * The start of an exchange: reads the snapshot once, checks the request's framing (RFC 9112), runs the frontend's
 * {@code http-request} rules, routes ({@code use_backend} then {@code default_backend}), runs the backend's rules
 * and prepares the head for the server (hop-by-hop headers, {@code option forwardfor}). It returns a
 * {@link Decision}: answer locally, or forward; the handler acts on it. On the connection's loop.
 */
final class RequestStart {
    /** What the start of an exchange decided. Forwarding allocates nothing (a constant). */
    sealed interface Decision permits Answer, Forward, Collect {}

    /** Answer without a server; {@code close}: and close the connection whatever the keep-alive state. */
    record Answer(FullHttpResponse response, boolean close) implements Decision {}

    /** Read the request body (bounded), then let the stats page apply its admin form and answer. */
    record Collect(StatsPageService page) implements Decision {}

    /** Send the request to the exchange's backend. */
    enum Forward implements Decision { TO_SERVER }

    private final HttpFrontendHandler h;

    RequestStart(HttpFrontendHandler h) {
        this.h = h;
    }

    /**
     * A new exchange on the snapshot in force now, looked up by the listener's frontend name; a connection whose
     * frontend went away (or changed mode) keeps its last snapshot.
     */
    HttpExchange open(HttpRequest req) {
        Snapshot s = h.context.snapshot();
        FrontendRuntime fr = s.frontend(h.cc.listener().frontendName());
        if (fr == null || fr.mode() != h.lastFrontend.mode()) {
            s = h.lastSnapshot;
            fr = h.lastFrontend;
        }
        return new HttpExchange(h.cc, req, s, fr);
    }

    Decision decide(HttpExchange ex) {
        HttpRequest req = ex.request;
        FrontendRuntime fr = ex.frontend;
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            int status = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException ? 431
                    : cause instanceof TooLongFrameException ? 431 : 400;
            ex.termination = 'P';
            ex.termState = 'R';
            return new Answer(fr.errors().response(status), true);
        }
        int refused = valid(req) ? StrictRequest.check(req) : 400;
        if (refused != StrictRequest.OK) {
            ex.termination = 'P';
            ex.termState = 'R';
            return new Answer(fr.errors().response(refused), true);
        }
        HttpHeaders headers = req.headers();
        ex.hasBody = HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
        ex.upgrade = headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.contains(HttpHeaderNames.UPGRADE);
        ex.clientKeepAlive = HttpUtil.isKeepAlive(req) && !fr.httpClose() && !h.draining
                && !h.cc.listener().draining();
        FullHttpResponse local = fr.rules().applyRequest(ex, headers, ex.uri, fr.errors(), fr.name(), h.context.stats());
        if (local != null) {
            ex.termination = ex.denied ? 'P' : 'L';
            ex.termState = 'R';
            return new Answer(local, false);
        }
        Decision page = statsPage(ex, fr.rules().statsPage());
        if (page != null) {
            return page;
        }
        local = fr.rules().applyRedirects(ex, headers, ex.uri);
        if (local != null) {
            ex.termination = 'L';
            ex.termState = 'R';
            return new Answer(local, false);
        }
        BackendRuntime br = route(ex, ex.snapshot, fr);
        if (br == null) {
            ex.termination = 'S';
            ex.termState = 'C';
            return new Answer(fr.errors().response(503), false);
        }
        ex.backend = br;
        ExchangeStats.routed(br, h.loop, ex.startNanos);
        if (br.httpClose()) {
            ex.clientKeepAlive = false;
        }
        local = br.rules().applyRequest(ex, headers, ex.uri, br.errors(), br.name(), h.context.stats());
        if (local != null) {
            ex.termination = ex.denied ? 'P' : 'L';
            ex.termState = 'R';
            return new Answer(local, false);
        }
        page = statsPage(ex, br.rules().statsPage());
        if (page != null) {
            return page;
        }
        local = br.rules().applyRedirects(ex, headers, ex.uri);
        if (local != null) {
            ex.termination = 'L';
            ex.termState = 'R';
            return new Answer(local, false);
        }
        if (!StrictRequest.forwardable(req)) {
            ex.termination = 'P';
            ex.termState = 'R';
            return new Answer(br.errors().response(405), true);
        }
        prepareForUpstream(ex, h.cc, fr, br);
        return Forward.TO_SERVER;
    }

    /** The stats page's answer when the proxy has one and the URI is its {@code stats uri}; else null. */
    private Decision statsPage(HttpExchange ex, StatsPageService page) {
        if (page == null || !page.serves(ex.uri)) {
            return null;
        }
        ex.termination = 'L';
        ex.termState = 'R';
        return switch (page.request(ex.method, ex.uri, ex.request.headers().get(HttpHeaderNames.AUTHORIZATION), ex,
                h.context.stats())) {
            case StatsPageService.Answer a -> new Answer(a.response(), false);
            case StatsPageService.Admin a -> new Collect(a.page());
        };
    }

    /** RFC 9112 framing checks Netty leaves to the application: CL+TE, duplicate CL, Host. */
    static boolean valid(HttpRequest req) {
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

    private static BackendRuntime route(HttpExchange ex, Snapshot s, FrontendRuntime fr) {
        return fr.backend(fr.route(ex, s), ex, s);
    }

    private static void prepareForUpstream(HttpExchange ex, ClientConnection cc, FrontendRuntime fr,
            BackendRuntime br) {
        HttpRequest req = ex.request;
        HttpHeaders h = req.headers();
        HopByHop.strip(h, ex.upgrade);
        if (ex.upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else if (br.serverClose() || fr.serverClose()) {
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
}
