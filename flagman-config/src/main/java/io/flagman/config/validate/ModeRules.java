package io.flagman.config.validate;

import io.flagman.config.model.Acl;
import io.flagman.config.model.AclTest;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Balance;
import io.flagman.config.model.Condition;
import io.flagman.config.model.ErrorFile;
import io.flagman.config.model.ForwardFor;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.Mode;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.model.Timeout;
import io.flagman.config.model.Timeouts;
import io.flagman.config.model.UseBackend;
import io.flagman.config.model.UseServer;
import io.flagman.config.parse.PredefinedAcls;
import io.flagman.config.parse.SampleFetches;
import io.flagman.config.parse.SampleFetches.Layer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything a proxy says must be able to take effect in its mode. Each proxy is checked against its own mode,
 * as HAProxy does (a backend's http rules against the backend's mode), plus what Flagman's data plane really
 * does: a tcp frontend relays its connections as tcp even to a backend in mode http (HAProxy would upgrade them).
 *
 * <p>Rules and settings that would change traffic and cannot run are errors (HAProxy only warns about some and is
 * silent about others; see docs/haproxy-differences.md); settings that are merely useless are warnings. Missing
 * timeouts are warned about where HAProxy 2.6 warns.
 */
final class ModeRules {

    /** A frontend, backend or listen section once, with both halves of a listen merged. */
    private record Proxy(
            String kind,
            String name,
            int line,
            Mode mode,
            boolean frontendSide,
            boolean backendSide,
            List<Acl> acls,
            List<HttpRule> httpRequestRules,
            List<HttpRule> httpResponseRules,
            List<HttpRule> redirectRules,
            List<UseBackend> useBackends,
            List<UseServer> useServers,
            Set<ProxyOption> options,
            ForwardFor forwardFor,
            Balance balance,
            List<ErrorFile> errorFiles,
            Timeouts timeouts,
            int servers) {

        String title() {
            return kind + " '" + name + "'";
        }
    }

    /** A fetch a condition reads, and through which ACL (null for an anonymous one). */
    private record Read(String fetch, Layer layer, String acl) {

        String describe() {
            return acl == null ? fetch : fetch + " (ACL '" + acl + "')";
        }
    }

    private static final Pattern EXPRESSION_FETCH = Pattern.compile("%\\[\\s*([^\\],\\s]+)");

    private static final List<Balance.Algorithm> LAYER7_BALANCE = List.of(Balance.Algorithm.URI,
            Balance.Algorithm.URL_PARAM, Balance.Algorithm.HDR);

    private static final List<ProxyOption> HTTP_CONNECTION_MODES = List.of(ProxyOption.HTTP_SERVER_CLOSE,
            ProxyOption.HTTPCLOSE, ProxyOption.HTTP_KEEP_ALIVE);

    private final Context ctx;

    ModeRules(Context ctx) {
        this.ctx = ctx;
    }

    void check() {
        for (Proxy p : proxies()) {
            if (p.mode() == Mode.TCP) {
                tcpProxy(p);
            } else {
                httpProxy(p);
            }
            missingTimeouts(p);
        }
        for (Frontend f : ctx.config().frontends()) {
            if (!f.disabled() && f.mode() == Mode.TCP) {
                tcpFrontendToHttpBackends(f);
                tcpStatsPage(f.listen() ? "listen" : "frontend", f.name(), f.stats());
            }
        }
        for (Backend b : ctx.config().backends()) {
            if (!b.disabled() && !b.listen() && b.mode() == Mode.TCP) {
                tcpStatsPage("backend", b.name(), b.stats());
            }
        }
    }

    /** The stats page is an HTTP answer: a tcp proxy cannot serve it. */
    private void tcpStatsPage(String kind, String name, io.flagman.config.model.StatsPage stats) {
        if (stats != null) {
            ctx.out().error(stats.line(), ctx.positions().word(stats.line(), 0), kind + " '" + name
                    + "': the stats page needs mode http, and this " + kind + " is in mode tcp"
                    + " (expected: mode http)", "add 'mode http' to the " + kind + " or remove its 'stats' lines");
        }
    }

    private List<Proxy> proxies() {
        List<Proxy> out = new ArrayList<>();
        for (Frontend f : ctx.config().frontends()) {
            if (f.disabled()) {
                continue;
            }
            Backend half = f.listen() ? listenBackend(f) : null;
            List<Acl> acls = new ArrayList<>(f.acls());
            if (half != null) {
                half.acls().stream().filter(a -> !acls.contains(a)).forEach(acls::add);
            }
            out.add(new Proxy(f.listen() ? "listen" : "frontend", f.name(), f.line(), f.mode(), true, half != null,
                    acls, f.httpRequestRules(), f.httpResponseRules(), f.redirectRules(), f.useBackends(),
                    half == null ? List.of() : half.useServers(), f.options(), f.forwardFor(),
                    half == null ? null : half.balance(), f.errorFiles(), f.timeouts(),
                    half == null ? 0 : half.servers().size()));
        }
        for (Backend b : ctx.config().backends()) {
            if (b.listen() || b.disabled()) {
                continue;
            }
            out.add(new Proxy("backend", b.name(), b.line(), b.mode(), false, true, b.acls(), b.httpRequestRules(),
                    b.httpResponseRules(), b.redirectRules(), List.of(), b.useServers(), b.options(), b.forwardFor(), b.balance(),
                    b.errorFiles(), b.timeouts(), b.servers().size()));
        }
        return out;
    }

    private Backend listenBackend(Frontend f) {
        return ctx.config().backends().stream()
                .filter(b -> b.listen() && b.name().equals(f.name()) && b.line() == f.line())
                .findFirst().orElse(null);
    }

    // ---- a proxy in mode tcp ----

    private void tcpProxy(Proxy p) {
        httpRules(p, "http-request", p.httpRequestRules());
        httpRules(p, "http-response", p.httpResponseRules());
        httpRules(p, "redirect", p.redirectRules());
        if (p.forwardFor() != null) {
            int line = directive(p, "option", "forwardfor");
            ctx.out().error(line, column(line, "forwardfor"), p.title() + ": 'option forwardfor' needs mode http,"
                    + " and this " + p.kind() + " is in mode tcp: no X-Forwarded-For header would be added"
                    + " (expected: mode http)", modeHint(p, "or remove 'option forwardfor'"));
        }
        if (p.backendSide() && p.balance() != null && LAYER7_BALANCE.contains(p.balance().algorithm())) {
            int line = directive(p, "balance", null);
            ctx.out().error(line, ctx.positions().word(line, 1), p.title() + ": 'balance "
                    + p.balance().algorithm().keyword() + "' hashes the HTTP request, and this " + p.kind()
                    + " is in mode tcp: it cannot hash anything (HAProxy falls back to round robin)"
                    + " (expected: mode http)", modeHint(p, "or choose a layer 4 algorithm such as 'balance source'"));
        }
        for (UseBackend u : p.useBackends()) {
            httpFetches(p, "use_backend", u.condition(), u.line());
            dynamicBackend(p, u);
        }
        for (UseServer u : p.useServers()) {
            httpFetches(p, "use-server", u.condition(), u.line());
        }
        if (p.frontendSide() && p.options().contains(ProxyOption.HTTPLOG)) {
            int line = directive(p, "option", "httplog");
            ctx.out().warning(line, column(line, "httplog"), p.title() + ": 'option httplog' needs mode http;"
                    + " this " + p.kind() + " is in mode tcp and logs in the tcplog format instead, as HAProxy does",
                    modeHint(p, "or write 'option tcplog'"));
        }
        uselessOption(p, ProxyOption.HTTP_BUFFER_REQUEST, "no request body is buffered");
        uselessOption(p, ProxyOption.ABORTONCLOSE, "Flagman drops only HTTP requests whose client left while"
                + " queued or connecting; a tcp connection is connected to its server either way");
        for (ProxyOption o : HTTP_CONNECTION_MODES) {
            uselessOption(p, o, "it sets how HTTP connections are kept, and a tcp connection is relayed as is");
        }
        if (!p.errorFiles().isEmpty()) {
            ErrorFile first = p.errorFiles().getFirst();
            int line = directive(p, "errorfile", Integer.toString(first.status()));
            ctx.out().warning(line, ctx.positions().word(line, 0), p.title() + ": 'errorfile' has no effect in mode"
                    + " tcp: no HTTP response is ever generated (" + p.errorFiles().size() + " errorfile"
                    + (p.errorFiles().size() == 1 ? "" : "s") + ")", modeHint(p, "or remove the errorfile lines"));
        }
        if (p.frontendSide()) {
            for (Timeout t : List.of(Timeout.HTTP_REQUEST, Timeout.HTTP_KEEP_ALIVE)) {
                if (p.timeouts().get(t) != null) {
                    int line = directive(p, "timeout", t.keyword());
                    ctx.out().warning(line, ctx.positions().word(line, 1), p.title() + ": 'timeout " + t.keyword()
                            + "' has no effect in mode tcp (only 'timeout client' bounds a tcp client)",
                            modeHint(p, "or remove it"));
                }
            }
        }
    }

    /** One error for all the rules of a kind, on the first one's line, as HAProxy gives one warning. */
    private void httpRules(Proxy p, String keyword, List<HttpRule> rules) {
        if (rules.isEmpty()) {
            return;
        }
        int line = rules.getFirst().line();
        Set<Integer> lines = new TreeSet<>();
        rules.forEach(r -> lines.add(r.line()));
        String which = rules.size() == 1 ? "this rule" : "these " + rules.size() + " rules (lines "
                + String.join(", ", lines.stream().map(String::valueOf).toList()) + ")";
        ctx.out().error(line, ctx.positions().word(line, 0), p.title() + ": '" + keyword + "' rules need mode http,"
                + " and this " + p.kind() + " is in mode tcp: " + which + " would never run (expected: mode http)",
                modeHint(p, "or remove the " + keyword + " rules"));
    }

    /** A condition of a tcp proxy that reads the HTTP request or response never matches as written. */
    private void httpFetches(Proxy p, String keyword, Condition condition, int line) {
        List<Read> http = reads(p, condition).stream().filter(r -> r.layer().needsHttp()).toList();
        if (http.isEmpty()) {
            return;
        }
        Read first = http.getFirst();
        ctx.out().error(line, column(line, first.acl() != null ? first.acl() : first.fetch()), p.title() + ": the "
                + keyword + " condition reads " + describe(http) + ", which " + (http.size() == 1 ? "needs" : "need")
                + " mode http, and this " + p.kind()
                + " is in mode tcp: the condition cannot be evaluated (expected: mode http, or connection fetches"
                + " such as src, dst, dst_port, ssl_fc_sni)", modeHint(p, "or test connection facts instead"));
    }

    private void dynamicBackend(Proxy p, UseBackend u) {
        if (!u.backend().contains("%[")) {
            return;
        }
        Matcher m = EXPRESSION_FETCH.matcher(u.backend());
        while (m.find()) {
            String fetch = SampleFetches.canonical(m.group(1));
            Layer layer = fetch == null ? null : SampleFetches.layer(fetch);
            if (layer != null && layer.needsHttp()) {
                ctx.out().error(u.line(), column(u.line(), m.group(1)), p.title() + ": the use_backend name '"
                        + u.backend() + "' reads " + fetch + ", which needs mode http, and this " + p.kind()
                        + " is in mode tcp: the name would always be empty (expected: mode http)",
                        modeHint(p, "or name the backend directly"));
                return;
            }
        }
    }

    private void uselessOption(Proxy p, ProxyOption option, String why) {
        if (!p.options().contains(option)) {
            return;
        }
        int line = directive(p, "option", option.keyword());
        ctx.out().warning(line, column(line, option.keyword()), p.title() + ": 'option " + option.keyword()
                + "' has no effect in mode tcp: " + why, modeHint(p, "or remove it"));
    }

    // ---- a proxy in mode http ----

    /** HAProxy ignores layer 6 fetches (the raw request buffer) on HTTP proxies; so does Flagman, loudly. */
    private void httpProxy(Proxy p) {
        List<Use> uses = new ArrayList<>();
        p.httpRequestRules().forEach(r -> uses.add(new Use("http-request", r.condition(), r.line())));
        p.httpResponseRules().forEach(r -> uses.add(new Use("http-response", r.condition(), r.line())));
        p.redirectRules().forEach(r -> uses.add(new Use("redirect", r.condition(), r.line())));
        p.useBackends().forEach(u -> uses.add(new Use("use_backend", u.condition(), u.line())));
        p.useServers().forEach(u -> uses.add(new Use("use-server", u.condition(), u.line())));
        for (Use use : uses) {
            List<Read> content = reads(p, use.condition()).stream().filter(r -> r.layer() == Layer.CONTENT).toList();
            List<Read> length = content.stream().filter(r -> r.fetch().equals("req.len")).toList();
            List<Read> sni = content.stream().filter(r -> r.fetch().equals("req.ssl_sni")).toList();
            if (!length.isEmpty()) {
                Read r = length.getFirst();
                ctx.out().error(use.line(), column(use.line(), r.acl() != null ? r.acl() : r.fetch()), p.title()
                        + ": the " + use.keyword() + " condition reads " + describe(length) + ", a layer 6 fetch of"
                        + " the raw request buffer, which has no value in an HTTP proxy (HAProxy ignores it with a"
                        + " warning): the condition cannot be evaluated (expected: an HTTP fetch)",
                        "test the request itself, e.g. 'hdr_val(content-length) gt 0' (the predefined HTTP_CONTENT)");
            }
            if (!sni.isEmpty()) {
                Read r = sni.getFirst();
                ctx.out().warning(use.line(), column(use.line(), r.acl() != null ? r.acl() : r.fetch()), p.title()
                        + ": the " + use.keyword() + " condition reads " + describe(sni) + ", a layer 6 fetch that"
                        + " HAProxy ignores on HTTP proxies; Flagman gives it the SNI of a bind with 'ssl', as"
                        + " ssl_fc_sni", "write ssl_fc_sni, which both read the same way");
            }
        }
    }

    private record Use(String keyword, Condition condition, int line) {}

    // ---- a tcp frontend handing connections to a backend in mode http ----

    private void tcpFrontendToHttpBackends(Frontend f) {
        String kind = f.listen() ? "listen" : "frontend";
        if (f.defaultBackend() != null && !(f.listen() && f.defaultBackend().equals(f.name()))) {
            int line = ctx.positions().directive(f.line(), "default_backend", f.defaultBackend());
            toHttpBackend(f, kind, f.defaultBackend(), "default_backend", line == 0 ? f.line() : line);
        }
        for (UseBackend u : f.useBackends()) {
            if (!u.backend().contains("%[")) {
                toHttpBackend(f, kind, u.backend(), "use_backend", u.line());
            }
        }
    }

    private void toHttpBackend(Frontend f, String kind, String name, String keyword, int line) {
        Backend b = ctx.config().backend(name).orElse(null);
        if (b == null || b.mode() != Mode.HTTP || b.disabled()) {
            return;
        }
        List<String> lost = httpFeatures(b);
        String what = kind + " '" + f.name() + "' is in mode tcp and hands its connections to backend '" + name
                + "' in mode http through " + keyword + ": Flagman relays them as tcp, it does not upgrade them to"
                + " HTTP as HAProxy does";
        String hint = "add 'mode http' to " + kind + " '" + f.name() + "' (or to its defaults), or set 'mode tcp'"
                + " in backend '" + name + "'";
        int column = ctx.positions().find(line, name);
        if (lost.isEmpty()) {
            ctx.out().warning(line, column, what, hint);
        } else {
            ctx.out().error(line, column, what + ", so its " + String.join(", ", lost) + " would never run for them"
                    + " (expected: a frontend in mode http)", hint);
        }
    }

    /** What a backend in mode http does that a tcp relay would skip. */
    private List<String> httpFeatures(Backend b) {
        List<String> out = new ArrayList<>();
        if (!b.httpRequestRules().isEmpty()) {
            out.add("'http-request' rules");
        }
        if (!b.httpResponseRules().isEmpty()) {
            out.add("'http-response' rules");
        }
        if (!b.redirectRules().isEmpty()) {
            out.add("'redirect' rules");
        }
        if (b.forwardFor() != null) {
            out.add("'option forwardfor'");
        }
        if (LAYER7_BALANCE.contains(b.balance().algorithm())) {
            out.add("'balance " + b.balance().algorithm().keyword() + "'");
        }
        return out;
    }

    // ---- timeouts ----

    /**
     * HAProxy 2.6's rule: a frontend needs client; a backend with servers needs connect, and server (or, in mode
     * tcp, tunnel).
     */
    private void missingTimeouts(Proxy p) {
        List<String> missing = new ArrayList<>();
        if (p.frontendSide() && unset(p.timeouts(), Timeout.CLIENT)) {
            missing.add("client");
        }
        if (p.backendSide() && p.servers() > 0) {
            if (unset(p.timeouts(), Timeout.CONNECT)) {
                missing.add("connect");
            }
            if (unset(p.timeouts(), Timeout.SERVER) && (p.mode() == Mode.HTTP || unset(p.timeouts(), Timeout.TUNNEL))) {
                missing.add("server");
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<String> quoted = missing.stream().map(k -> "'timeout " + k + "'").toList();
        List<String> effects = new ArrayList<>();
        if (missing.contains("client")) {
            effects.add("an idle client keeps its connection open forever");
        }
        if (missing.contains("server")) {
            effects.add("a server that stops answering keeps the connection open forever");
        }
        if (missing.contains("connect")) {
            effects.add("a connection attempt waits Flagman's default of 5s");
        }
        ctx.out().warning(p.line(), ctx.positions().word(p.line(), 1), p.title() + ": missing timeouts: "
                + String.join(", ", quoted) + (missing.size() == 1 ? " is" : " are") + " not set (HAProxy warns"
                + " about this too): " + String.join("; ", effects),
                "set " + String.join(", ", quoted) + " to a non-zero value in defaults or in " + p.title());
    }

    private static boolean unset(Timeouts t, Timeout kind) {
        Duration d = t.get(kind);
        return d == null || d.isZero();
    }

    // ---- helpers ----

    /** Every fetch the condition reads, through anonymous ACLs, the proxy's named ACLs and predefined ones. */
    private static List<Read> reads(Proxy p, Condition condition) {
        Set<Read> out = new LinkedHashSet<>();
        if (condition == null) {
            return List.of();
        }
        for (List<Condition.Term> and : condition.alternatives()) {
            for (Condition.Term term : and) {
                if (term.anonymous() != null) {
                    add(out, term.anonymous(), null);
                    continue;
                }
                List<Acl> named = p.acls().stream().filter(a -> a.name().equals(term.aclName())).toList();
                if (named.isEmpty()) {
                    AclTest predefined = PredefinedAcls.get(term.aclName());
                    if (predefined != null) {
                        add(out, predefined, term.aclName());
                    }
                }
                named.forEach(a -> add(out, a.test(), a.name()));
            }
        }
        return List.copyOf(out);
    }

    private static void add(Set<Read> out, AclTest test, String acl) {
        Layer layer = SampleFetches.layer(test.fetch().name());
        if (layer != null) {
            out.add(new Read(test.fetch().name(), layer, acl));
        }
    }

    private static String describe(List<Read> reads) {
        return String.join(", ", reads.stream().map(Read::describe).distinct().toList());
    }

    /** The line of the directive in force for {@code p}, its own section first, then its defaults; else its header. */
    private int directive(Proxy p, String keyword, String firstArg) {
        int line = ctx.positions().inherited(p.line(), keyword, firstArg);
        return line == 0 ? p.line() : line;
    }

    private int column(int line, String value) {
        return ctx.positions().find(line, value);
    }

    /** Where to say {@code mode http}: instead of the proxy's own {@code mode tcp}, over its defaults', or either. */
    private String modeHint(Proxy p, String alternative) {
        int own = ctx.positions().own(p.line(), l -> "mode".equals(l.keyword()));
        if (own > 0) {
            return "change 'mode tcp' on line " + own + " to 'mode http', " + alternative;
        }
        int inherited = ctx.positions().inherited(p.line(), "mode", null);
        if (inherited > 0) {
            return "add 'mode http' to " + p.title() + " (its defaults set 'mode tcp' on line " + inherited + "), "
                    + alternative;
        }
        List<String> users = p.frontendSide() ? List.of() : tcpUsers(p.name());
        if (!users.isEmpty()) {
            return "add 'mode http' to defaults, or to " + p.title() + " and to the " + String.join(", ", users)
                    + " that use" + (users.size() == 1 ? "s" : "") + " it, " + alternative;
        }
        return "add 'mode http' to defaults or to " + p.title() + ", " + alternative;
    }

    /** The tcp frontends and listens that name backend {@code backend} in default_backend or use_backend. */
    private List<String> tcpUsers(String backend) {
        List<String> out = new ArrayList<>();
        for (Frontend f : ctx.config().frontends()) {
            boolean uses = backend.equals(f.defaultBackend())
                    || f.useBackends().stream().anyMatch(u -> u.backend().equals(backend));
            if (uses && f.mode() == Mode.TCP && !f.disabled()) {
                out.add((f.listen() ? "listen" : "frontend") + " '" + f.name() + "'");
            }
        }
        return out;
    }
}
