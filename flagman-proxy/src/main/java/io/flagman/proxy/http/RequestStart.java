package io.flagman.proxy.http;

import io.flagman.config.model.ForwardFor;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.FrontendRuntime;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.listen.ClientConnection;
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
 * {@code http-request} rules, routes ({@code use_backend} then {@code default_backend}), runs the backend's rules,
 * prepares the head for the server (hop-by-hop headers, {@code option forwardfor}) and hands it to the
 * {@link UpstreamForwarder}. Anything answered locally goes to {@link LocalResponses}. On the connection's loop.
 */
final class RequestStart {
    private final HttpFrontendHandler h;

    RequestStart(HttpFrontendHandler h) {
        this.h = h;
    }

    void start(HttpRequest req) {
        Snapshot s = h.context.snapshot();
        FrontendRuntime fr = s.frontend(h.cc.listener().frontendName());
        if (fr == null || fr.mode() != h.lastFrontend.mode()) {
            s = h.lastSnapshot;
            fr = h.lastFrontend;
        } else {
            h.lastSnapshot = s;
            h.lastFrontend = fr;
        }
        HttpExchange ex = new HttpExchange(h.cc, req, s, fr);
        h.ex = ex;
        h.requestDone = false;
        h.responseStarted = false;
        h.upstreamReusable = false;
        h.timer.disarm();
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            int status = cause instanceof TooLongHttpLineException ? 414
                    : cause instanceof TooLongHttpHeaderException ? 431
                    : cause instanceof TooLongFrameException ? 431 : 400;
            ex.termination = 'P';
            ex.termState = 'R';
            h.local.respond(fr.errors().response(status), true);
            return;
        }
        int refused = valid(req) ? StrictRequest.check(req) : 400;
        if (refused != StrictRequest.OK) {
            ex.termination = 'P';
            ex.termState = 'R';
            h.local.respond(fr.errors().response(refused), true);
            return;
        }
        HttpHeaders headers = req.headers();
        ex.hasBody = HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
        ex.upgrade = headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && headers.contains(HttpHeaderNames.UPGRADE);
        h.clientKeepAlive = HttpUtil.isKeepAlive(req) && !fr.httpClose() && !h.draining
                && !h.cc.listener().draining();
        FullHttpResponse local = fr.rules().applyRequest(ex, headers, ex.uri, fr.errors(), fr.name());
        if (local != null) {
            ex.termination = ex.denied ? 'P' : 'L';
            ex.termState = 'R';
            h.local.respond(local, false);
            return;
        }
        BackendRuntime br = route(ex, s, fr);
        if (br == null) {
            ex.termination = 'S';
            ex.termState = 'C';
            h.local.respond(fr.errors().response(503), false);
            return;
        }
        ex.backend = br;
        if (br.httpClose()) {
            h.clientKeepAlive = false;
        }
        local = br.rules().applyRequest(ex, headers, ex.uri, br.errors(), br.name());
        if (local != null) {
            ex.termination = ex.denied ? 'P' : 'L';
            ex.termState = 'R';
            h.local.respond(local, false);
            return;
        }
        if (!StrictRequest.forwardable(req)) {
            ex.termination = 'P';
            ex.termState = 'R';
            h.local.respond(br.errors().response(405), true);
            return;
        }
        prepareForUpstream(ex, h.cc, fr, br);
        h.forwarder.dispatch();
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
