package io.flagman.config.parse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keyword table of each kind of section: every keyword Flagman knows, supported, ignored with a warning or
 * rejected as not supported yet. The parser dispatches through these tables, hints are computed from them and
 * docs/configuration.md is checked against them.
 */
final class KeywordTables {

    private static final Set<Scope> PROXIES = EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND, Scope.BACKEND);
    private static final Set<Scope> GLOBAL_ONLY = EnumSet.of(Scope.GLOBAL);

    static final Map<String, Keyword<ProxyBuilder>> PROXY = new LinkedHashMap<>();
    static final Map<String, Keyword<GlobalBuilder>> GLOBAL = new LinkedHashMap<>();
    static final Map<String, Keyword<UserlistBuilder>> USERLIST = new LinkedHashMap<>();

    static {
        for (Keyword<ProxyBuilder> k : List.<Keyword<ProxyBuilder>>of(ModeKeyword.INSTANCE, BalanceKeyword.INSTANCE,
                BindKeyword.INSTANCE, ServerKeyword.SERVER, ServerKeyword.DEFAULT_SERVER, AclKeyword.INSTANCE,
                UseBackendKeyword.INSTANCE, DefaultBackendKeyword.INSTANCE, UseServerKeyword.INSTANCE,
                HttpRuleKeyword.REQUEST, HttpRuleKeyword.RESPONSE, RedirectKeyword.INSTANCE, MonitorUriKeyword.INSTANCE, OptionKeyword.INSTANCE, TimeoutKeyword.INSTANCE,
                LimitKeyword.RETRIES, LimitKeyword.MAXCONN, LimitKeyword.BACKLOG, LogKeyword.PROXY,
                ErrorFileKeyword.INSTANCE, StatsPageKeyword.INSTANCE, DisabledKeyword.DISABLED, DisabledKeyword.ENABLED,
                new LegacyTimeoutKeyword("contimeout", "timeout connect"),
                new LegacyTimeoutKeyword("clitimeout", "timeout client"),
                new LegacyTimeoutKeyword("srvtimeout", "timeout server"))) {
            PROXY.put(k.name(), k);
        }
        for (String name : List.of("description", "id", "bind-process", "guid")) {
            PROXY.put(name, OtherKeyword.ignored(name, "it is informational only; accepted and ignored", PROXIES));
        }
        PROXY.put("fullconn", OtherKeyword.ignored("fullconn", "it only sizes the dynamic limits of servers with"
                + " 'minconn', which Flagman does not support (an error); accepted and ignored",
                EnumSet.of(Scope.DEFAULTS, Scope.BACKEND)));
        PROXY.put("log-tag", OtherKeyword.ignored("log-tag", "Flagman's log lines carry no syslog tag", PROXIES));
        for (String name : List.of("stick-table", "stick", "tcp-request", "tcp-response", "http-after-response",
                "compression", "cookie", "filter", "capture", "declare", "http-check", "http-reuse",
                "hash-type", "hash-balance-factor", "persist", "force-persist", "ignore-persist",
                "monitor", "monitor-net", "unique-id-format", "unique-id-header", "log-format",
                "log-format-sd", "error-log-format", "errorloc", "errorloc302", "errorloc303", "errorfiles",
                "http-error", "server-template", "source", "dispatch", "http-send-name-header",
                "email-alert", "rate-limit", "tcp-check", "external-check", "use-fcgi-app", "max-keep-alive-queue",
                "load-server-state-from-file", "server-state-file-name", "retry-on", "transparent", "reqadd",
                "reqallow", "reqdel", "reqdeny", "reqiallow", "reqidel", "reqideny", "reqipass", "reqirep",
                "reqisetbe", "reqitarpit", "reqpass", "reqrep", "reqsetbe", "reqtarpit", "rspadd", "rspdel",
                "rspdeny", "rspidel", "rspideny", "rspirep", "rsprep", "grace", "clitcpka-cnt", "clitcpka-idle",
                "clitcpka-intvl", "srvtcpka-cnt", "srvtcpka-idle", "srvtcpka-intvl", "http-request-timeout")) {
            PROXY.put(name, OtherKeyword.unsupported(name, PROXIES));
        }

        GLOBAL.put("maxconn", GlobalSettingKeyword.MAXCONN);
        GLOBAL.put("nbthread", GlobalSettingKeyword.NBTHREAD);
        GLOBAL.put("hard-stop-after", GlobalSettingKeyword.HARD_STOP_AFTER);
        GLOBAL.put("log", LogKeyword.GLOBAL);
        GLOBAL.put("stats", StatsKeyword.INSTANCE);
        GLOBAL.put("crt-base", BaseDirKeyword.CRT_BASE);
        GLOBAL.put("ca-base", BaseDirKeyword.CA_BASE);
        ignoredGlobal("Flagman runs in the foreground; use your service manager to daemonize", "daemon");
        ignoredGlobal("Flagman does not chroot or change user; run it as the user it should be", "chroot", "user",
                "group", "uid", "gid");
        ignoredGlobal("Flagman writes no pid file; use your service manager", "pidfile");
        ignoredGlobal("Flagman is one process with threads (see nbthread)", "master-worker", "nbproc", "cpu-map",
                "thread-groups", "numa-cpu-mapping", "busy-polling");
        ignoredGlobal("the JVM manages file descriptor limits", "ulimit-n");
        ignoredGlobal("it is informational only", "description", "node");
        ignoredGlobal("Flagman's log lines use a fixed header", "log-send-hostname", "log-tag");
        ignoredGlobal("first checks are spread over one inter interval at random; the percentage is not used",
                "spread-checks");
        ignoredGlobal("it changes nothing Flagman does", "quiet", "zero-warning", "insecure-fork-wanted",
                "expose-experimental-directives", "set-dumpable", "strict-limits", "noepoll", "nopoll", "nosplice",
                "noreuseport", "profiling.tasks");
        ignoredGlobal("Flagman uses the JDK's TLS defaults (TLS 1.2 and 1.3, the JDK's cipher suites)",
                "ssl-default-bind-ciphers", "ssl-default-bind-ciphersuites", "ssl-default-bind-options",
                "ssl-default-server-ciphers", "ssl-default-server-ciphersuites", "ssl-default-server-options",
                "ssl-dh-param-file");
        for (String name : List.of("lua-load", "lua-load-per-thread", "lua-prepend-path", "setenv", "presetenv",
                "resetenv", "unsetenv", "key-base", "maxsslconn", "maxconnrate",
                "maxsessrate", "maxsslrate", "maxpipes", "h1-case-adjust", "h1-case-adjust-file", "localpeer",
                "default-path", "server-state-file", "server-state-base", "ssl-server-verify", "external-check",
                "log-send-hostname-format", "httpclient.resolvers.id", "ssl-engine", "ssl-mode-async")) {
            GLOBAL.put(name, OtherKeyword.unsupported(name, GLOBAL_ONLY));
        }

        USERLIST.put("user", UserKeyword.INSTANCE);
        USERLIST.put("group", GroupKeyword.INSTANCE);
    }

    private static void ignoredGlobal(String note, String... names) {
        for (String n : names) {
            GLOBAL.put(n, OtherKeyword.ignored(n, note, GLOBAL_ONLY));
        }
    }

    /** A global {@code tune.*} setting: performance knobs of HAProxy's engine, accepted with a warning. */
    static final Keyword<GlobalBuilder> TUNE = OtherKeyword.ignored("tune.*",
            "HAProxy's engine tuning does not apply to Flagman", GLOBAL_ONLY);

    private KeywordTables() {}

    /** The keyword as allowed in {@code scope}, or null. */
    static Keyword<?> find(Scope scope, String name) {
        if (name == null) {
            return null;
        }
        Keyword<?> k = switch (scope) {
            case GLOBAL -> name.startsWith("tune.") ? TUNE : GLOBAL.get(name);
            case USERLIST -> USERLIST.get(name);
            case DEFAULTS, FRONTEND, BACKEND -> PROXY.get(name);
        };
        return k != null && k.scopes().contains(scope) ? k : null;
    }

    /** Every keyword name allowed in {@code scope} (for did-you-mean). */
    static List<String> names(Scope scope) {
        Map<String, ? extends Keyword<?>> table = switch (scope) {
            case GLOBAL -> GLOBAL;
            case USERLIST -> USERLIST;
            case DEFAULTS, FRONTEND, BACKEND -> PROXY;
        };
        List<String> out = new ArrayList<>();
        table.forEach((n, k) -> {
            if (k.scopes().contains(scope)) {
                out.add(n);
            }
        });
        return Collections.unmodifiableList(out);
    }

    /** The scopes where some table has this keyword (to say "'balance' is not allowed in a frontend"). */
    static Set<Scope> scopesOf(String name) {
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        for (Map<String, ? extends Keyword<?>> t : List.of(GLOBAL, USERLIST, PROXY)) {
            Keyword<?> k = t.get(name);
            if (k != null) {
                out.addAll(k.scopes());
            }
        }
        if (name.startsWith("tune.")) {
            out.add(Scope.GLOBAL);
        }
        return out;
    }
}
