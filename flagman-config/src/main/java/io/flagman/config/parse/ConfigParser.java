package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Defaults;
import io.flagman.config.model.ForwardFor;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.Global;
import io.flagman.config.model.HttpCheck;
import io.flagman.config.model.LogTarget;
import io.flagman.config.model.Mode;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.model.Server;
import io.flagman.config.model.Timeouts;
import io.flagman.config.model.Userlist;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Diagnostic;
import io.flagman.config.text.Diagnostics;
import io.flagman.config.text.Section;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a {@link ConfigDocument} into the {@link Config} model: every section and directive is checked for syntax
 * and per-keyword meaning, defaults are resolved into each proxy, {@code default-server} into each server and
 * {@code log global} into the global targets. References between sections (backends, ACL names, userlists) are
 * left to the validator.
 *
 * <p>All problems are reported in one run; the config is null when any of them is an error.
 */
public final class ConfigParser {

    /** Section keywords Flagman implements. */
    static final List<String> SECTIONS = List.of("global", "defaults", "frontend", "backend", "listen", "userlist");

    private static final Pattern VERSION = Pattern.compile("\\s*_version\\s*=\\s*(\\d{1,18})\\s*");

    private final ConfigDocument doc;
    private final Diagnostics diagnostics;
    private final GlobalBuilder global = new GlobalBuilder();
    /** Defaults and proxies in file order (defaults resolution depends on position). */
    private final List<ProxyBuilder> proxies = new ArrayList<>();
    private final List<UserlistBuilder> userlists = new ArrayList<>();

    private ConfigParser(ConfigDocument doc) {
        this.doc = doc;
        this.diagnostics = new Diagnostics(doc.fileName());
    }

    public static ParseResult parse(ConfigDocument doc) {
        return new ConfigParser(doc).run();
    }

    private ParseResult run() {
        for (Diagnostic d : doc.lexErrors()) {
            diagnostics.add(d);
        }
        long version = version();
        List<Section> sections = doc.sections();
        int firstHeader = sections.isEmpty() ? doc.lines().size() : sections.getFirst().header();
        for (int i = 0; i < firstHeader; i++) {
            ConfigLine l = doc.line(i);
            if (!l.isBlankOrComment()) {
                diagnostics.error(l.number(), l.column(0), "'" + l.keyword() + "' outside any section",
                        "start a section first: " + String.join(", ", SECTIONS));
            }
        }
        for (Section s : sections) {
            section(s);
        }
        Config config = diagnostics.hasErrors() ? null : build(version);
        return new ParseResult(diagnostics.hasErrors() ? null : config, diagnostics.all());
    }

    private long version() {
        for (ConfigLine l : doc.lines()) {
            if (!l.isBlankOrComment()) {
                return 0;
            }
            if (l.comment() != null) {
                Matcher m = VERSION.matcher(l.comment());
                if (m.matches()) {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        return 0;
    }

    private void section(Section s) {
        ConfigLine header = doc.line(s.header());
        String kw = s.keyword();
        if (!SECTIONS.contains(kw)) {
            diagnostics.error(header.number(), header.column(0), "'" + kw + "' sections are not supported yet",
                    "Flagman implements " + String.join(", ", SECTIONS) + " sections; remove this section");
            return;
        }
        switch (kw) {
            case "global" -> {
                headerArgs(header, 1);
                body(s, Scope.GLOBAL, false, global, KeywordTables.GLOBAL);
            }
            case "userlist" -> {
                if (requireName(header) && headerArgs(header, 2)) {
                    UserlistBuilder u = new UserlistBuilder(header.word(1), header.number());
                    userlists.add(u);
                    body(s, Scope.USERLIST, false, u, KeywordTables.USERLIST);
                }
            }
            case "defaults", "frontend", "backend", "listen" -> proxy(s, header, kw);
            default -> throw new IllegalStateException(kw);
        }
    }

    private void proxy(Section s, ConfigLine header, String kw) {
        boolean defaults = kw.equals("defaults");
        String name = header.word(1);
        int next = 2;
        if (defaults && "from".equals(name)) {
            name = null;
            next = 1;
        } else if (!defaults && !requireName(header)) {
            return;
        }
        if (name != null && !NAME.matcher(name).matches()) {
            diagnostics.error(header.number(), header.column(1), "invalid " + kw + " name '" + name + "'",
                    "names use letters, digits, '-', '_', '.' and ':'");
        }
        String from = null;
        if (header.word(next) != null) {
            if (!header.word(next).equals("from")) {
                diagnostics.error(header.number(), header.column(next), "unexpected '" + header.word(next) + "' after "
                        + kw + " name", kw.equals("listen") || kw.equals("frontend")
                                ? "addresses in the section header are not supported; use 'bind <address>'"
                                : "usage: " + kw + " <name> [from <defaults>]");
                return;
            }
            from = header.word(next + 1);
            if (from == null) {
                diagnostics.error(header.number(), header.column(next), "missing defaults name after 'from'",
                        "usage: " + kw + " <name> from <defaults>");
                return;
            }
            if (header.word(next + 2) != null) {
                diagnostics.error(header.number(), header.column(next + 2), "unexpected '" + header.word(next + 2) + "'",
                        "usage: " + kw + " <name> from <defaults>");
            }
        }
        Scope scope = switch (kw) {
            case "defaults" -> Scope.DEFAULTS;
            case "backend" -> Scope.BACKEND;
            default -> Scope.FRONTEND;
        };
        boolean listen = kw.equals("listen");
        ProxyBuilder p = new ProxyBuilder(scope, name, header.number(), listen);
        p.from = from;
        proxies.add(p);
        body(s, scope, listen, p, KeywordTables.PROXY);
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:\\-]+");

    private boolean requireName(ConfigLine header) {
        if (header.word(1) == null) {
            diagnostics.error(header.number(), header.column(0) + header.keyword().length() + 1,
                    "missing " + header.keyword() + " name", "usage: " + header.keyword() + " <name>");
            return false;
        }
        return true;
    }

    private boolean headerArgs(ConfigLine header, int max) {
        if (header.words().size() > max) {
            diagnostics.error(header.number(), header.column(max), "unexpected '" + header.word(max) + "' after '"
                    + header.word(max - 1) + "'", "usage: " + header.keyword() + (max == 2 ? " <name>" : ""));
            return false;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private <B> void body(Section s, Scope scope, boolean listen, B target, java.util.Map<String, Keyword<B>> table) {
        for (int i = s.header() + 1; i < s.end(); i++) {
            ConfigLine l = doc.line(i);
            if (l.isBlankOrComment()) {
                continue;
            }
            String kw = l.keyword();
            String lookup = kw.equals("no") && l.word(1) != null ? l.word(1) : kw;
            if (kw.equals("no") && !lookup.equals("option") && !lookup.equals("log")) {
                diagnostics.error(l.number(), l.column(1), "'no " + lookup + "' is not supported",
                        "'no' works with 'option <name>' and 'log'");
                continue;
            }
            Keyword<?> k = KeywordTables.find(scope, lookup);
            Scope effective = scope;
            if (k == null && listen) {
                k = KeywordTables.find(Scope.BACKEND, lookup);
                effective = Scope.BACKEND;
            }
            if (k == null) {
                unknown(l, lookup, scope, listen, kw.equals("no") ? 1 : 0);
                continue;
            }
            ((Keyword<B>) k).parse(new Directive(l, diagnostics, effective, listen), target);
        }
    }

    private void unknown(ConfigLine l, String kw, Scope scope, boolean listen, int at) {
        Set<Scope> elsewhere = KeywordTables.scopesOf(kw);
        String where = listen ? "a listen section" : scope.article();
        Scope otherSide = scope == Scope.FRONTEND ? Scope.BACKEND : Scope.FRONTEND;
        if (IGNORED_ON_OTHER_SIDE.contains(kw) && scope != Scope.DEFAULTS && elsewhere.contains(otherSide)) {
            // HAProxy ignores these with a warning when the proxy lacks the capability; so does Flagman.
            diagnostics.warning(l.number(), l.column(at), "'" + kw + "' is ignored in " + where + " (it has no "
                    + otherSide.keyword() + " capability)", kw.equals("maxconn") ? "remove it; backends have no"
                            + " connection limit of their own" : "move it to " + otherSide.article());
            return;
        }
        if (!elsewhere.isEmpty()) {
            String places = elsewhere.stream().map(Scope::article).collect(Collectors.joining(" or "));
            diagnostics.error(l.number(), l.column(at), "'" + kw + "' is not allowed in " + where,
                    "it belongs in " + places);
            return;
        }
        List<String> candidates = new ArrayList<>(KeywordTables.names(scope));
        if (listen) {
            candidates.addAll(KeywordTables.names(Scope.BACKEND));
        }
        String hint = Suggest.didYouMean(kw, candidates);
        if (hint == null) {
            String other = Suggest.closest(kw, allNames());
            if (other != null) {
                hint = "did you mean '" + other + "'? (it is not allowed in " + where + ")";
            }
        }
        if (hint == null && SECTIONS.stream().anyMatch(sec -> Suggest.distance(sec, kw) <= 2)) {
            hint = "did you mean the section '" + Suggest.closest(kw, SECTIONS) + "'?";
        }
        diagnostics.error(l.number(), l.column(at), "unknown keyword '" + kw + "' in " + where,
                hint != null ? hint : "see docs/configuration.md for the supported keywords");
    }

    /** Keywords HAProxy accepts with a warning on the wrong side of a frontend/backend pair. */
    private static final Set<String> IGNORED_ON_OTHER_SIDE = Set.of("bind", "balance", "retries", "maxconn",
            "backlog", "default_backend");

    private static List<String> allNames() {
        List<String> all = new ArrayList<>();
        for (Scope s : Scope.values()) {
            all.addAll(KeywordTables.names(s));
        }
        return all;
    }

    // ---- building the model: defaults resolution ----

    private Config build(long version) {
        List<Defaults> defaults = new ArrayList<>();
        List<Frontend> frontends = new ArrayList<>();
        List<Backend> backends = new ArrayList<>();
        java.util.Map<String, ProxyBuilder> namedDefaults = new java.util.HashMap<>();
        ProxyBuilder lastDefaults = null;
        for (ProxyBuilder p : proxies) {
            // A defaults section starts afresh unless it names a parent with 'from'.
            ProxyBuilder base = p.scope == Scope.DEFAULTS ? null : lastDefaults;
            if (p.from != null) {
                base = namedDefaults.get(p.from);
                if (base == null) {
                    diagnostics.error(p.line, 0, "defaults section '" + p.from + "' not found",
                            "a 'from' names a defaults section defined above it");
                    continue;
                }
            }
            ProxyBuilder effective = base == null ? p : merge(base, p);
            if (p.scope != Scope.DEFAULTS && p.stats == null && effective.stats != null
                    && effective.mode != Mode.HTTP) {
                // HAProxy drops an inherited stats page on a tcp proxy with a warning; so does Flagman.
                diagnostics.warning(p.line, 0, "the defaults section's 'stats' page is ignored for "
                        + (p.listen ? "listen" : p.scope.keyword()) + " '" + p.name + "' as it needs mode http",
                        "add 'mode http' to it, or move the 'stats' lines to the proxies that serve the page");
                effective.stats = null;
                effective.statsAdmin.clear();
            }
            switch (p.scope) {
                case DEFAULTS -> {
                    defaults.add(defaults(effective, p));
                    if (p.name != null) {
                        namedDefaults.put(p.name, effective);
                    }
                    lastDefaults = effective;
                }
                case FRONTEND -> {
                    if (p.listen && effective.defaultBackend != null && !effective.servers.isEmpty()) {
                        diagnostics.warning(p.line, 0, "in listen '" + p.name + "', 'default_backend "
                                + effective.defaultBackend + "' always has precedence over the servers, which will"
                                + " never be used", "remove the servers or the default_backend");
                    }
                    frontends.add(frontend(effective));
                    if (p.listen) {
                        backends.add(backend(effective, base));
                    }
                }
                case BACKEND -> backends.add(backend(effective, base));
                case GLOBAL, USERLIST -> throw new IllegalStateException(p.scope.name());
            }
        }
        if (diagnostics.hasErrors()) {
            return null;
        }
        Global g = new Global(global.maxconn, global.nbthread, global.logs, global.hardStopAfter, global.statsSockets,
                global.statsTimeout, global.statsMaxconn);
        List<Userlist> lists = userlists.stream().map(UserlistBuilder::build).toList();
        return new Config(version, g, defaults, frontends, backends, lists);
    }

    /** The proxy's own settings over its defaults section's (HAProxy's inheritance). */
    private static ProxyBuilder merge(ProxyBuilder base, ProxyBuilder own) {
        ProxyBuilder m = new ProxyBuilder(own.scope, own.name, own.line, own.listen);
        m.from = own.from;
        m.mode = own.mode != null ? own.mode : base.mode;
        m.balance = own.balance != null ? own.balance : base.balance;
        m.options.addAll(base.options);
        m.options.removeAll(own.disabledOptions);
        Set<ProxyOption> modes = EnumSet.of(ProxyOption.HTTP_SERVER_CLOSE, ProxyOption.HTTPCLOSE,
                ProxyOption.HTTP_KEEP_ALIVE);
        if (own.options.stream().anyMatch(modes::contains)) {
            m.options.removeAll(modes);
        }
        if (own.options.contains(ProxyOption.HTTPLOG) || own.options.contains(ProxyOption.TCPLOG)) {
            m.options.remove(ProxyOption.HTTPLOG);
            m.options.remove(ProxyOption.TCPLOG);
        }
        m.options.addAll(own.options);
        m.disabledOptions.addAll(base.disabledOptions);
        m.disabledOptions.removeAll(own.options);
        m.disabledOptions.addAll(own.disabledOptions);
        m.forwardFor = own.forwardFor != null ? own.forwardFor : base.forwardFor;
        m.httpCheck = own.httpCheck != null ? own.httpCheck : base.httpCheck;
        m.timeouts.putAll(base.timeouts);
        m.timeouts.putAll(own.timeouts);
        m.retries = own.retries != null ? own.retries : base.retries;
        m.maxconn = own.maxconn != null ? own.maxconn : base.maxconn;
        m.backlog = own.backlog != null ? own.backlog : base.backlog;
        m.noLog = own.noLog;
        if (!own.noLog) {
            m.logs.addAll(base.logs);
        }
        m.logs.addAll(own.logs);
        m.errorFiles.putAll(base.errorFiles);
        m.errorFiles.putAll(own.errorFiles);
        m.defaultServer = own.defaultServer == null ? base.defaultServer
                : base.defaultServer == null ? own.defaultServer : own.defaultServer.over(base.defaultServer);
        m.defaultBackend = own.defaultBackend != null ? own.defaultBackend : base.defaultBackend;
        m.defaultBackendLine = own.defaultBackend != null ? own.defaultBackendLine : base.defaultBackendLine;
        m.disabled = own.disabled;
        m.binds.addAll(own.binds);
        m.servers.addAll(own.servers);
        m.acls.addAll(own.acls);
        m.httpRequestRules.addAll(own.httpRequestRules);
        m.httpResponseRules.addAll(own.httpResponseRules);
        m.redirectRules.addAll(own.redirectRules);
        m.monitorUri = own.monitorUri != null ? own.monitorUri : base.monitorUri;
        m.monitorUriLine = own.monitorUri != null ? own.monitorUriLine : base.monitorUriLine;
        m.useBackends.addAll(own.useBackends);
        m.useServers.addAll(own.useServers);
        // A proxy with stats lines of its own starts afresh (HAProxy detaches it from the defaults' page).
        m.stats = own.stats != null ? own.stats : base.stats;
        m.statsAdmin.addAll(own.stats != null ? own.statsAdmin : base.statsAdmin);
        return m;
    }

    private List<LogTarget> logs(ProxyBuilder p) {
        List<LogTarget> out = new ArrayList<>();
        for (ProxyBuilder.Log l : p.logs) {
            if (l.global()) {
                out.addAll(global.logs);
            } else {
                out.add(l.target());
            }
        }
        return out;
    }

    private static ForwardFor forwardFor(ProxyBuilder p) {
        return p.forwardFor == ProxyBuilder.FORWARDFOR_OFF ? null : p.forwardFor;
    }

    private static HttpCheck httpCheck(ProxyBuilder p) {
        return p.httpCheck == ProxyBuilder.HTTPCHK_OFF ? null : p.httpCheck;
    }

    private Defaults defaults(ProxyBuilder m, ProxyBuilder own) {
        Server template = m.defaultServer == null ? null : m.defaultServer.toServer("default-server", "", 0, own.line);
        return new Defaults(own.name, own.from, m.mode, m.balance, m.options, m.disabledOptions, forwardFor(m),
                httpCheck(m), new Timeouts(m.timeouts), m.retries == null ? -1 : m.retries,
                m.maxconn == null ? 0 : m.maxconn, logs(m), List.copyOf(m.errorFiles.values()), template, own.line);
    }

    /** The binds with their relative {@code crt} paths read from {@code crt-base}, as HAProxy reads them. */
    private List<io.flagman.config.model.Bind> crtBase(List<io.flagman.config.model.Bind> binds) {
        if (global.crtBase == null) {
            return binds;
        }
        return binds.stream().map(b -> b.certificates().isEmpty() ? b : new io.flagman.config.model.Bind(b.address(),
                b.name(), b.acceptProxy(), b.ssl(), b.certificates().stream()
                        .map(c -> BaseDirKeyword.resolve(global.crtBase, c)).toList(), b.maxconn(), b.backlog(),
                b.alpn(), b.v4v6(), b.v6only(), b.line())).toList();
    }

    /**
     * The frontend's http-request rules, after the {@code monitor-uri} answer when there is one. In mode tcp,
     * HAProxy ignores monitor-uri with a warning; so does Flagman.
     */
    private List<io.flagman.config.model.HttpRule> monitored(ProxyBuilder m) {
        if (m.monitorUri == null) {
            return m.httpRequestRules;
        }
        if (m.mode != Mode.HTTP) {
            diagnostics.warning(m.monitorUriLine, 0, "monitor-uri will be ignored for " + (m.listen ? "listen '"
                    : "frontend '") + m.name + "' (needs 'mode http')", "add 'mode http' or remove monitor-uri");
            return m.httpRequestRules;
        }
        List<io.flagman.config.model.HttpRule> rules = new ArrayList<>();
        rules.add(MonitorUriKeyword.rule(m.monitorUri, m.monitorUriLine));
        rules.addAll(m.httpRequestRules);
        return rules;
    }

    private Frontend frontend(ProxyBuilder m) {
        return new Frontend(m.name, m.mode == null ? Mode.TCP : m.mode, crtBase(m.binds), m.maxconn == null ? 0 : m.maxconn,
                m.backlog == null ? 0 : m.backlog, m.acls, monitored(m), m.httpResponseRules, m.redirectRules, m.useBackends,
                m.listen && m.defaultBackend == null ? m.name : m.defaultBackend, m.options, forwardFor(m), new Timeouts(m.timeouts), logs(m),
                List.copyOf(m.errorFiles.values()), StatsPageKeyword.page(m), m.listen, m.disabled, m.line,
                m.listen && m.defaultBackend == null ? 0 : m.defaultBackendLine);
    }

    /**
     * A backend. For a listen section the HTTP rules stay on its frontend half only, so that the data plane runs
     * them once per request as HAProxy does.
     */
    private Backend backend(ProxyBuilder m, ProxyBuilder base) {
        ServerSettings inherited = base == null ? null : base.defaultServer;
        List<Server> servers = new ArrayList<>();
        for (ServerKeyword.Parsed s : m.servers) {
            ServerSettings settings = inherited == null ? s.settings() : s.settings().over(inherited);
            servers.add(settings.toServer(s.name(), s.host(), s.port(), s.line()));
        }
        return new Backend(m.name, m.mode == null ? Mode.TCP : m.mode,
                m.balance == null ? io.flagman.config.model.Balance.ROUND_ROBIN : m.balance, servers, m.acls,
                m.listen ? List.of() : m.httpRequestRules, m.listen ? List.of() : m.httpResponseRules,
                m.listen ? List.of() : m.redirectRules, m.useServers,
                m.options, forwardFor(m), httpCheck(m), new Timeouts(m.timeouts),
                m.retries == null ? Backend.DEFAULT_RETRIES : m.retries, logs(m), List.copyOf(m.errorFiles.values()),
                m.listen ? null : StatsPageKeyword.page(m), m.listen, m.disabled, m.line);
    }
}
