package io.flagman.proxy.http;

import io.flagman.config.model.Acl;
import io.flagman.config.model.ContentFormat;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.LogFormat;
import io.flagman.config.model.Match;
import io.flagman.config.model.StatsPage;
import io.flagman.config.model.Userlist;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.Rules;
import io.flagman.proxy.rule.CompiledLogFormat;
import io.flagman.proxy.rule.RequestPredicate;
import io.flagman.proxy.rule.SampleSource;
import io.flagman.proxy.service.PrometheusService;
import io.flagman.proxy.service.StatsPageService;
import io.flagman.proxy.service.StatsView;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The compiled {@code http-request} and {@code http-response} rules of one proxy. Immutable, shared by every
 * event loop; evaluation never blocks (files are read at compile time).
 */
public final class HttpRules {
    public static final HttpRules NONE = new HttpRules(List.of(), List.of(), List.of(), null);

    /** One rule with its condition and pre-compiled values. */
    record Compiled(HttpRule rule, RequestPredicate when, CompiledLogFormat value, Pattern delPattern,
            byte[] body, CompiledLogFormat bodyFormat, List<Map.Entry<String, CompiledLogFormat>> headers) {}

    private final List<Compiled> request;
    private final List<Compiled> response;
    private final List<Compiled> redirects;
    private final StatsPageService statsPage;

    private HttpRules(List<Compiled> request, List<Compiled> response, List<Compiled> redirects,
            StatsPageService statsPage) {
        this.request = request;
        this.response = response;
        this.redirects = redirects;
        this.statsPage = statsPage;
    }

    /** The proxy's stats page ({@code stats enable}…), or null: it answers after the http-request rules. */
    StatsPageService statsPage() {
        return statsPage;
    }

    public boolean hasResponseRules() {
        return !response.isEmpty();
    }

    public static HttpRules compile(String proxy, List<HttpRule> req, List<HttpRule> resp, List<Acl> acls,
            List<Userlist> users) throws ApplyException {
        return compile(proxy, req, resp, acls, users, null);
    }

    /** The rules and the stats page ({@code page} null when the proxy has none) of one proxy. */
    public static HttpRules compile(String proxy, List<HttpRule> req, List<HttpRule> resp, List<Acl> acls,
            List<Userlist> users, StatsPage page) throws ApplyException {
        return compile(proxy, req, resp, List.of(), acls, users, page);
    }

    /**
     * The rules, the {@code redirect} rules (run after the http-request rules and the stats page) and the stats
     * page ({@code page} null when the proxy has none) of one proxy.
     */
    public static HttpRules compile(String proxy, List<HttpRule> req, List<HttpRule> resp,
            List<? extends HttpRule> redirects, List<Acl> acls, List<Userlist> users, StatsPage page)
            throws ApplyException {
        if (req.isEmpty() && resp.isEmpty() && redirects.isEmpty() && page == null) {
            return NONE;
        }
        return new HttpRules(compileAll(proxy, "http-request", req, acls, users),
                compileAll(proxy, "http-response", resp, acls, users),
                compileAll(proxy, "redirect", List.copyOf(redirects), acls, users), statsPage(proxy, page, acls, users));
    }

    private static StatsPageService statsPage(String proxy, StatsPage page, List<Acl> acls, List<Userlist> users)
            throws ApplyException {
        if (page == null) {
            return null;
        }
        List<RequestPredicate> admin = new ArrayList<>();
        for (var c : page.admin()) {
            admin.add(Rules.predicate(c, acls, users, "'" + proxy + "' stats admin (line " + page.line() + ")"));
        }
        RequestPredicate allowed = admin.isEmpty() ? null : s -> {
            for (int i = 0; i < admin.size(); i++) {
                if (admin.get(i).test(s)) {
                    return true;
                }
            }
            return false;
        };
        return new StatsPageService(page, allowed);
    }

    private static List<Compiled> compileAll(String proxy, String kind, List<HttpRule> rules, List<Acl> acls,
            List<Userlist> users) throws ApplyException {
        List<Compiled> out = new ArrayList<>(rules.size());
        for (HttpRule r : rules) {
            String where = "'" + proxy + "' " + kind + " (line " + r.line() + ")";
            RequestPredicate when = Rules.predicate(r.condition(), acls, users, where);
            CompiledLogFormat value = null;
            Pattern del = null;
            byte[] body = null;
            CompiledLogFormat bodyFormat = null;
            List<Map.Entry<String, CompiledLogFormat>> headers = List.of();
            switch (r) {
                case HttpRule.SetHeader s -> value = Rules.format(s.value(), where);
                case HttpRule.AddHeader a -> value = Rules.format(a.value(), where);
                case HttpRule.Redirect d -> value = Rules.format(d.value(), where);
                case HttpRule.DelHeader d -> del = deletePattern(d.name(), d.method());
                case HttpRule.Return ret -> {
                    if (ret.format() != null) {
                        switch (ret.format()) {
                            case STRING -> body = ret.content().getBytes(StandardCharsets.UTF_8);
                            case LF_STRING -> bodyFormat = Rules.format(new LogFormat(ret.content()), where);
                            case FILE -> body = read(ret.content(), where);
                            case LF_FILE -> bodyFormat = Rules.format(
                                    new LogFormat(new String(read(ret.content(), where), StandardCharsets.UTF_8)),
                                    where);
                            default -> { /* errorfile(s): the proxy's error page for the status */ }
                        }
                    }
                    List<Map.Entry<String, CompiledLogFormat>> hs = new ArrayList<>();
                    for (HttpRule.Header h : ret.headers()) {
                        hs.add(Map.entry(h.name(), Rules.format(h.value(), where)));
                    }
                    headers = List.copyOf(hs);
                }
                default -> { }
            }
            out.add(new Compiled(r, when, value, del, body, bodyFormat, headers));
        }
        return List.copyOf(out);
    }

    private static Pattern deletePattern(String name, Match m) {
        if (m == null || m == Match.STR) {
            return null;
        }
        String q = Pattern.quote(name);
        return Pattern.compile(switch (m) {
            case BEG -> q + ".*";
            case END -> ".*" + q;
            case SUB -> ".*" + q + ".*";
            case REG -> name;
            default -> q;
        }, Pattern.CASE_INSENSITIVE);
    }

    private static byte[] read(String file, String where) throws ApplyException {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new ApplyException(where + ": cannot read '" + file + "': " + e.getMessage(), e);
        }
    }

    /** {@link #decideRequest}'s answer when no rule ended the evaluation: the request goes on. */
    public static final int GO_ON = -1;

    /**
     * Runs the http-request rules on {@code headers} (the request's, mutated in place by set-header, add-header
     * and del-header) up to the first rule that ends the evaluation and whose condition holds ({@code allow},
     * {@code deny}, {@code auth}, {@code redirect}, {@code return}, {@code use-service}): its index, or
     * {@link #GO_ON}. {@link #requestRule} names it. Runs on the event loop; the one evaluation the data plane
     * and {@code WhatIf} share.
     */
    public int decideRequest(SampleSource s, HttpHeaders headers) {
        for (int i = 0; i < request.size(); i++) {
            Compiled c = request.get(i);
            if (!c.when.test(s)) {
                continue;
            }
            switch (c.rule) {
                case HttpRule.SetHeader h -> headers.set(h.name(), c.value.render(s));
                case HttpRule.AddHeader h -> headers.add(h.name(), c.value.render(s));
                case HttpRule.DelHeader h -> delete(headers, h.name(), c.delPattern);
                case HttpRule.Allow a -> {
                    return i;
                }
                case HttpRule.Deny d -> {
                    return i;
                }
                case HttpRule.Auth a -> {
                    return i;
                }
                case HttpRule.Redirect d -> {
                    if (d.options().contains("ignore-empty") && c.value.render(s).isEmpty()) {
                        continue;
                    }
                    return i;
                }
                case HttpRule.Return r -> {
                    return i;
                }
                case HttpRule.UseService u -> {
                    return i;
                }
            }
        }
        return GO_ON;
    }

    /** The http-request rule at {@code index} (an answer of {@link #decideRequest}). */
    public HttpRule requestRule(int index) {
        return request.get(index).rule;
    }

    /** The number of http-response rules (they need the server's response: {@code WhatIf} does not run them). */
    public int responseRules() {
        return response.size();
    }

    /** True when the proxy has a stats page and {@code uri} is its {@code stats uri}. */
    public boolean servesStatsPage(String uri) {
        return statsPage != null && statsPage.serves(uri);
    }

    /**
     * Runs the http-request rules on {@code headers} (the request's, mutated in place). Returns the response to
     * send instead of forwarding, or null to go on (also after {@code allow}). Runs on the event loop.
     */
    FullHttpResponse applyRequest(SampleSource s, HttpHeaders headers, String uri, ErrorPages errors,
            String proxyName, StatsView stats) {
        int i = decideRequest(s, headers);
        if (i == GO_ON) {
            return null;
        }
        Compiled c = request.get(i);
        return switch (c.rule) {
            case HttpRule.Deny d -> {
                if (s instanceof HttpExchange ex) {
                    ex.denied = true;
                }
                yield errors.response(d.status() > 0 ? d.status() : 403);
            }
            case HttpRule.Auth a -> {
                FullHttpResponse r = errors.response(401);
                String realm = a.realm() != null ? a.realm() : proxyName;
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\"");
                yield r;
            }
            case HttpRule.Redirect d -> redirect(d, c.value.render(s), uri, headers);
            case HttpRule.Return r -> returned(r, c, s, errors);
            case HttpRule.UseService u -> PrometheusService.respond(stats, uri);
            case HttpRule.Allow a -> null;
            case HttpRule.SetHeader h -> throw new IllegalStateException("set-header does not end the rules");
            case HttpRule.AddHeader h -> throw new IllegalStateException("add-header does not end the rules");
            case HttpRule.DelHeader h -> throw new IllegalStateException("del-header does not end the rules");
        };
    }

    /**
     * The location a {@code redirect} rule (at {@code index}, an answer of {@link #decideRequest}) sends to, and
     * its status: what the data plane would answer.
     */
    public String redirectLocation(int index, SampleSource s, String uri, HttpHeaders headers) {
        Compiled c = request.get(index);
        if (!(c.rule instanceof HttpRule.Redirect d)) {
            throw new IllegalArgumentException("http-request rule " + index + " is not a redirect");
        }
        return redirect(d, c.value.render(s), uri, headers).headers().get(HttpHeaderNames.LOCATION);
    }

    /**
     * Decides which {@code redirect} rule (of the {@code redirect} keyword) answers: its index, or {@link #GO_ON}
     * when none does. The data plane ({@link #applyRedirects}) and {@code WhatIf} both decide through this.
     */
    public int decideRedirect(SampleSource s) {
        for (int i = 0; i < redirects.size(); i++) {
            Compiled c = redirects.get(i);
            if (c.when.test(s) && c.rule instanceof HttpRule.Redirect d) {
                if (d.options().contains("ignore-empty") && c.value.render(s).isEmpty()) {
                    continue;
                }
                return i;
            }
        }
        return GO_ON;
    }

    /** The {@code redirect} rule at {@code index} (an answer of {@link #decideRedirect}). */
    public HttpRule.Redirect redirectRule(int index) {
        return (HttpRule.Redirect) redirects.get(index).rule;
    }

    /** The location the {@code redirect} rule at {@code index} (an answer of {@link #decideRedirect}) sends to. */
    public String redirectRuleLocation(int index, SampleSource s, String uri, HttpHeaders headers) {
        Compiled c = redirects.get(index);
        return redirect(redirectRule(index), c.value.render(s), uri, headers).headers().get(HttpHeaderNames.LOCATION);
    }

    /**
     * Runs the {@code redirect} rules: the first whose condition holds answers; null when none does. Runs on the
     * event loop, after {@link #applyRequest} and the stats page.
     */
    FullHttpResponse applyRedirects(SampleSource s, HttpHeaders headers, String uri) {
        int i = decideRedirect(s);
        if (i == GO_ON) {
            return null;
        }
        return redirect(redirectRule(i), redirects.get(i).value.render(s), uri, headers);
    }

    /** Runs the http-response rules on the response headers. Runs on the event loop. */
    void applyResponse(SampleSource s, HttpHeaders headers) {
        for (int i = 0; i < response.size(); i++) {
            Compiled c = response.get(i);
            if (!c.when.test(s)) {
                continue;
            }
            switch (c.rule) {
                case HttpRule.SetHeader h -> headers.set(h.name(), c.value.render(s));
                case HttpRule.AddHeader h -> headers.add(h.name(), c.value.render(s));
                case HttpRule.DelHeader h -> delete(headers, h.name(), c.delPattern);
                case HttpRule.Allow a -> {
                    return;
                }
                default -> { }
            }
        }
    }

    private static void delete(HttpHeaders headers, String name, Pattern p) {
        if (p == null) {
            headers.remove(name);
            return;
        }
        for (String n : new ArrayList<>(headers.names())) {
            if (p.matcher(n).matches()) {
                headers.remove(n);
            }
        }
    }

    private static FullHttpResponse redirect(HttpRule.Redirect d, String value, String uri, HttpHeaders headers) {
        boolean dropQuery = d.options().contains("drop-query");
        String target = uri;
        if (dropQuery) {
            int q = target.indexOf('?');
            if (q >= 0) {
                target = target.substring(0, q);
            }
        }
        if (d.options().contains("append-slash") && !target.endsWith("/") && target.indexOf('?') < 0) {
            target = target + "/";
        }
        String location = switch (d.type()) {
            case LOCATION -> value;
            case PREFIX -> (value.endsWith("/") ? value.substring(0, value.length() - 1) : value) + target;
            case SCHEME -> value + "://" + headers.get(HttpHeaderNames.HOST, "") + target;
        };
        int code = d.code() > 0 ? d.code() : 302;
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.LOCATION, location)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        List<String> options = d.options();
        for (int i = 0; i + 1 < options.size(); i++) {
            // HAProxy's spelling: set-cookie adds "; path=/;", clear-cookie "; path=/; Max-Age=0;"
            if (options.get(i).equals("set-cookie")) {
                r.headers().add(HttpHeaderNames.SET_COOKIE, options.get(++i) + "; path=/;");
            } else if (options.get(i).equals("clear-cookie")) {
                r.headers().add(HttpHeaderNames.SET_COOKIE, options.get(++i) + "; path=/; Max-Age=0;");
            }
        }
        return r;
    }

    private static FullHttpResponse returned(HttpRule.Return r, Compiled c, SampleSource s, ErrorPages errors) {
        int status = r.status() > 0 ? r.status() : 200;
        if (r.format() == ContentFormat.ERRORFILE || r.format() == ContentFormat.ERRORFILES
                || r.format() == ContentFormat.DEFAULT_ERRORFILES) {
            return errors.response(status);
        }
        byte[] body = c.body;
        if (c.bodyFormat != null) {
            body = c.bodyFormat.render(s).getBytes(StandardCharsets.UTF_8);
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders h = resp.headers();
        if (body != null && r.contentType() != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        for (Map.Entry<String, CompiledLogFormat> e : c.headers) {
            h.add(e.getKey(), e.getValue().render(s));
        }
        h.set(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
        return resp;
    }
}
