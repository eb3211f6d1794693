package io.flagman.proxy;

import io.flagman.config.model.BindAddress;
import io.flagman.config.model.Bind;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.Mode;
import io.flagman.proxy.http.HttpRules;
import io.flagman.proxy.rule.ResponseSample;
import io.flagman.proxy.rule.SampleSource;
import io.flagman.proxy.upstream.ServerStateRegistry;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What-if routing: where a request would go under a configuration, decided by the data plane's own compiled
 * rules, without serving anything (no socket is opened, no log destination, no health check). The configuration
 * is compiled by the same {@link SnapshotCompiler} as {@link DataPlane#apply}; a request then runs the same
 * steps as in the proxy: the frontend's {@code http-request} rules ({@link HttpRules#decideRequest}), its stats
 * page and {@code redirect} rules ({@link HttpRules#decideRedirect}), backend switching
 * ({@link FrontendRuntime#route}), the backend's {@code http-request} rules, stats page and {@code redirect} rules. What only a connection or a server could tell is fixed by the {@link Request} (source address, TLS) or
 * left out: {@code http-response} rules are reported as not evaluated, and servers have their configured state
 * (no health check ran: a {@code disabled} server is down, every other one up). Immutable, thread-safe.
 */
public final class WhatIf {

    /** One request header. */
    public record Header(String name, String value) {}

    /**
     * One sample request.
     *
     * @param frontend the frontend to evaluate it on, or null: the one binding {@code port}
     * @param method the request method
     * @param target the request-target as sent ({@code /v1/users?x=1})
     * @param headers the request's headers in order (Host included when the request has one)
     * @param source the client address ({@code src}, {@code src_port}; with {@code accept-proxy}, the one the
     *     PROXY header carries)
     * @param port the port the client connected to ({@code dst_port}, and how the frontend is found)
     * @param ssl the connection is TLS ({@code ssl_fc})
     * @param sni the TLS server name, or null ({@code ssl_fc_sni})
     */
    public record Request(String frontend, String method, String target, List<Header> headers,
            InetSocketAddress source, int port, boolean ssl, String sni) {
        public Request {
            headers = List.copyOf(headers);
        }
    }

    /**
     * One step that decided: which rule, where.
     *
     * @param kind {@code use_backend}, {@code default_backend}, {@code http-request deny|auth|redirect|return|
     *     use-service}, {@code stats page}, {@code no backend} or {@code CONNECT}
     * @param proxy the frontend or backend whose rule it is
     * @param line the rule's source line, 0 when it has none
     * @param status the status the proxy answers, 0 when the step does not answer (it routes)
     * @param detail the redirect's location, or null
     */
    public record Step(String kind, String proxy, int line, int status, String detail) {
        /** {@code FILE:LINE}, or {@code FILE} when the line is not known. */
        public String at(String file) {
            return line > 0 ? file + ":" + line : file;
        }
    }

    /** What evaluating a request gave: a verdict, or why it could not be evaluated. */
    public sealed interface Outcome permits Verdict, Problem {}

    /** The request could not be evaluated (no frontend binds its port, an unknown frontend…). */
    public record Problem(String message) implements Outcome {}

    /**
     * Where the request goes.
     *
     * @param frontend the frontend that took it
     * @param backend the backend it reached, or null when the frontend answered it (or has no backend for it)
     * @param routedBy the backend switching step that chose {@code backend}, or null when the request was answered
     *     before routing
     * @param answeredBy the step that answers without a server (a deny, a redirect, a return…), or null when the
     *     request is forwarded to a server of {@code backend}
     * @param notes what was not evaluated or may differ at run time
     */
    public record Verdict(String frontend, String backend, Step routedBy, Step answeredBy, List<String> notes)
            implements Outcome {
        public Verdict {
            notes = List.copyOf(notes);
        }
    }

    private final Snapshot snapshot;

    private WhatIf(Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    /**
     * Compiles {@code config} as the data plane would (files it names are read, server names resolved), without
     * opening anything. A configuration the data plane would refuse is refused here with the same message.
     */
    public static WhatIf compile(Config config) throws ApplyException {
        SnapshotCompiler compiler = new SnapshotCompiler(new ServerStateRegistry(), SnapshotCompiler.NO_LOGS);
        return new WhatIf(compiler.compile(config).snapshot());
    }

    /** Evaluates one request. */
    public Outcome evaluate(Request request) {
        FrontendRuntime fr;
        Bind bind = null;
        if (request.frontend() != null) {
            fr = snapshot.frontend(request.frontend());
            if (fr == null) {
                return new Problem("no enabled frontend or listen section named '" + request.frontend() + "'");
            }
            bind = bindOn(fr.config(), request.port());
        } else {
            List<FrontendRuntime> on = new ArrayList<>();
            for (Frontend f : snapshot.config().frontends()) {
                FrontendRuntime r = snapshot.frontend(f.name());
                if (r != null && bindOn(f, request.port()) != null) {
                    on.add(r);
                }
            }
            if (on.size() != 1) {
                return new Problem(on.isEmpty() ? "no frontend binds port " + request.port()
                        + "; name one with 'frontend NAME'"
                        : "port " + request.port() + " is bound by " + on.stream().map(FrontendRuntime::name)
                                .toList() + "; name one with 'frontend NAME'");
            }
            fr = on.get(0);
            bind = bindOn(fr.config(), request.port());
        }
        InetSocketAddress destination = new InetSocketAddress(
                bind != null && bind.address().host() != null && !bind.address().isWildcard()
                        ? bind.address().host() : "127.0.0.1", request.port());
        return fr.mode() == Mode.HTTP ? http(fr, request, destination) : tcp(fr, request, destination);
    }

    private static Bind bindOn(Frontend f, int port) {
        for (Bind b : f.binds()) {
            BindAddress a = b.address();
            if (a.family() != BindAddress.Family.UNIX && port >= a.port() && port <= a.portEnd()) {
                return b;
            }
        }
        return null;
    }

    private Outcome tcp(FrontendRuntime fr, Request request, InetSocketAddress destination) {
        Probe s = new Probe(snapshot, request, destination, null);
        List<String> notes = new ArrayList<>();
        int route = fr.route(s, snapshot);
        BackendRuntime br = fr.backend(route, s, snapshot);
        Step routed = routeStep(fr, route, br, s);
        if (br == null) {
            return new Verdict(fr.name(), null, routed, new Step("no backend", fr.name(), 0, 0, null), notes);
        }
        noServer(br, notes);
        return new Verdict(fr.name(), br.name(), routed, null, notes);
    }

    private Outcome http(FrontendRuntime fr, Request request, InetSocketAddress destination) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Header h : request.headers()) {
            headers.add(h.name(), h.value());
        }
        HttpProbe s = new HttpProbe(snapshot, request, destination, headers);
        List<String> notes = new ArrayList<>();
        responseRules(fr.name(), fr.rules(), notes);
        Step answer = rules(fr.name(), fr.rules(), s, headers, request);
        if (answer != null) {
            return new Verdict(fr.name(), null, null, answer, notes);
        }
        int route = fr.route(s, snapshot);
        BackendRuntime br = fr.backend(route, s, snapshot);
        Step routed = routeStep(fr, route, br, s);
        if (br == null) {
            return new Verdict(fr.name(), null, routed, new Step("no backend", fr.name(), 0, 503, null), notes);
        }
        responseRules(br.name(), br.rules(), notes);
        answer = rules(br.name(), br.rules(), s, headers, request);
        if (answer == null && "CONNECT".equals(request.method())) {
            answer = new Step("CONNECT", br.name(), 0, 405, null);
        }
        if (answer == null) {
            noServer(br, notes);
        }
        return new Verdict(fr.name(), br.name(), routed, answer, notes);
    }

    /** The step of {@code rules} that answers the request (its rules, then its stats page), or null. */
    private static Step rules(String proxy, HttpRules rules, HttpProbe s, HttpHeaders headers, Request request) {
        int i = rules.decideRequest(s, headers);
        if (i != HttpRules.GO_ON) {
            HttpRule rule = rules.requestRule(i);
            Step step = switch (rule) {
                case HttpRule.Deny d -> answer("deny", proxy, rule, d.status() > 0 ? d.status() : 403, null);
                case HttpRule.Auth a -> answer("auth", proxy, rule, 401, null);
                case HttpRule.Redirect d -> answer("redirect", proxy, rule, d.code() > 0 ? d.code() : 302,
                        rules.redirectLocation(i, s, request.target(), headers));
                case HttpRule.Return r -> answer("return", proxy, rule, r.status() > 0 ? r.status() : 200, null);
                case HttpRule.UseService u -> answer("use-service " + u.service(), proxy, rule, 200, null);
                case HttpRule.Allow a -> null;
                case HttpRule.SetHeader h -> throw new IllegalStateException("set-header ended the rules");
                case HttpRule.AddHeader h -> throw new IllegalStateException("add-header ended the rules");
                case HttpRule.DelHeader h -> throw new IllegalStateException("del-header ended the rules");
            };
            if (step != null) {
                return step;
            }
        }
        if (rules.servesStatsPage(request.target())) {
            return new Step("stats page", proxy, 0, 200, null);
        }
        int r = rules.decideRedirect(s);
        if (r != HttpRules.GO_ON) {
            HttpRule.Redirect d = rules.redirectRule(r);
            return new Step("redirect", proxy, d.line(), d.code() > 0 ? d.code() : 302,
                    rules.redirectRuleLocation(r, s, request.target(), headers));
        }
        return null;
    }

    private static Step answer(String kind, String proxy, HttpRule rule, int status, String detail) {
        return new Step("http-request " + kind, proxy, rule.line(), status, detail);
    }

    private static Step routeStep(FrontendRuntime fr, int route, BackendRuntime br, SampleSource s) {
        if (route != FrontendRuntime.DEFAULT_ROUTE) {
            return new Step("use_backend", fr.name(), fr.routes().get(route).line(), 0, null);
        }
        if (br == null) {
            return null;
        }
        int line = fr.config().listen() ? fr.config().line() : fr.config().defaultBackendLine();
        return new Step("default_backend", fr.name(), line, 0, null);
    }

    private static void responseRules(String proxy, HttpRules rules, List<String> notes) {
        int n = rules.responseRules();
        if (n > 0) {
            notes.add(n + " http-response rule" + (n == 1 ? "" : "s") + " of '" + proxy
                    + "' not evaluated (they need the server's response)");
        }
    }

    private static void noServer(BackendRuntime br, List<String> notes) {
        if (br.usableServers() == 0) {
            notes.add("backend '" + br.name() + "' has no usable server in the configuration (the proxy would answer"
                    + " 503)");
        }
    }

    /** The facts a TCP connection gives the rules: addresses and TLS, no request. */
    private static class Probe implements SampleSource {
        final Snapshot snapshot;
        final Request request;
        final InetSocketAddress destination;
        final HttpHeaders headers;

        Probe(Snapshot snapshot, Request request, InetSocketAddress destination, HttpHeaders headers) {
            this.snapshot = snapshot;
            this.request = request;
            this.destination = destination;
            this.headers = headers;
        }

        @Override
        public InetSocketAddress source() {
            return request.source();
        }

        @Override
        public InetSocketAddress destination() {
            return destination;
        }

        @Override
        public boolean isSsl() {
            return request.ssl();
        }

        @Override
        public String sni() {
            return request.sni();
        }

        @Override
        public String method() {
            return null;
        }

        @Override
        public String uri() {
            return null;
        }

        @Override
        public String httpVersion() {
            return null;
        }

        @Override
        public List<String> headerValues(String name) {
            return List.of();
        }

        @Override
        public int usableServers(String backend) {
            BackendRuntime b = snapshot.backend(backend);
            return b == null ? 0 : b.usableServers();
        }
    }

    /**
     * An HTTP request before its response, as the data plane's exchange is when the http-request rules run
     * (status -1, no response headers).
     */
    private static final class HttpProbe extends Probe implements ResponseSample {
        HttpProbe(Snapshot snapshot, Request request, InetSocketAddress destination, HttpHeaders headers) {
            super(snapshot, request, destination, headers);
        }

        @Override
        public String method() {
            return request.method();
        }

        @Override
        public String uri() {
            return request.target();
        }

        @Override
        public String httpVersion() {
            return "HTTP/1.1";
        }

        @Override
        public List<String> headerValues(String name) {
            return headers.getAll(name);
        }

        @Override
        public int status() {
            return -1;
        }

        @Override
        public List<String> responseHeaderValues(String name) {
            return List.of();
        }
    }
}
