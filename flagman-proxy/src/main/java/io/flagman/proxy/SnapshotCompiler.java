package io.flagman.proxy;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.LogTarget;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.model.Server;
import io.flagman.config.model.Timeout;
import io.flagman.config.model.Timeouts;
import io.flagman.config.model.UseBackend;
import io.flagman.proxy.http.ErrorPages;
import io.flagman.proxy.http.HttpRules;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerStateRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Compiles a {@link Config} into a {@link Snapshot}: rules, balancers, error pages, log sinks; server endpoints
 * joined to their live state by name. Compiling changes no live state: what the configuration changes in it (a
 * server's {@code disabled}, new servers) is returned as a {@link ServerStateRegistry.Plan} that the data plane
 * commits only after the swap. Runs on the thread calling {@code DataPlane.apply} (may block: files and DNS are
 * read here, never on an event loop).
 */
final class SnapshotCompiler {
    static final long DEFAULT_CONNECT_TIMEOUT = 5_000;
    static final long DEFAULT_HARD_STOP_AFTER = 30_000;

    private final ServerStateRegistry registry;
    private final LogSinks sinks;
    private SslContext insecureClient;
    private SslContext verifyingClient;

    /** Shared log destinations, opened once per address for the life of the data plane. */
    interface LogSinks {
        LogSink sink(String address) throws ApplyException;
    }

    /** Compiles without opening any log destination (log targets are still checked): for {@link WhatIf}. */
    static final LogSinks NO_LOGS = address -> {
        throw new IllegalStateException("no log sink is opened for " + address);
    };

    /** A compiled snapshot and the live-state changes to commit once it is the running one. */
    record Compiled(Snapshot snapshot, ServerStateRegistry.Plan serverStates) {}

    SnapshotCompiler(ServerStateRegistry registry, LogSinks sinks) {
        this.registry = registry;
        this.sinks = sinks;
    }

    Compiled compile(Config config) throws ApplyException {
        ServerStateRegistry.Plan states = registry.plan();
        Map<String, BackendRuntime> backends = new LinkedHashMap<>();
        for (Backend b : config.backends()) {
            if (!b.disabled()) {
                backends.put(b.name(), backend(b, config, states));
            }
        }
        Map<String, FrontendRuntime> frontends = new LinkedHashMap<>();
        for (Frontend f : config.frontends()) {
            if (!f.disabled()) {
                frontends.put(f.name(), frontend(f, backends, config, states));
            }
        }
        Duration hs = config.global().hardStopAfter();
        return new Compiled(new Snapshot(config, Map.copyOf(frontends), Map.copyOf(backends),
                hs == null ? DEFAULT_HARD_STOP_AFTER : hs.toMillis()), states);
    }

    private FrontendRuntime frontend(Frontend f, Map<String, BackendRuntime> backends, Config config,
            ServerStateRegistry.Plan states) throws ApplyException {
        String where = "frontend '" + f.name() + "'";
        ErrorPages errors = ErrorPages.load(f.errorFiles(), where);
        HttpRules rules = HttpRules.compile(f.name(), f.httpRequestRules(), f.httpResponseRules(), f.redirectRules(), f.acls(),
                config.userlists(), f.mode() == io.flagman.config.model.Mode.HTTP ? f.stats() : null);
        List<FrontendRuntime.Route> routes = new ArrayList<>();
        for (UseBackend u : f.useBackends()) {
            String w = where + " use_backend (line " + u.line() + ")";
            boolean dynamic = u.backend().contains("%[");
            if (!dynamic && !backends.containsKey(u.backend())) {
                throw new ApplyException(w + ": unknown backend '" + u.backend() + "'");
            }
            routes.add(new FrontendRuntime.Route(Rules.predicate(u.condition(), f.acls(), config.userlists(), w),
                    u.backend(),
                    dynamic ? Rules.format(new io.flagman.config.model.LogFormat(u.backend()), w) : null, u.line()));
        }
        if (f.defaultBackend() != null && !backends.containsKey(f.defaultBackend())) {
            throw new ApplyException(where + ": unknown default_backend '" + f.defaultBackend() + "'");
        }
        Timeouts t = f.timeouts();
        ProxyLog log = proxyLog(f.logs());
        return new FrontendRuntime(f.name(), f.mode(), f, rules, List.copyOf(routes), f.defaultBackend(),
                f.forwardFor(), ms(t, Timeout.CLIENT, 0), ms(t, Timeout.HTTP_REQUEST, 0),
                ms(t, Timeout.HTTP_KEEP_ALIVE, 0), ms(t, Timeout.CLIENT_FIN, 0), f.has(ProxyOption.HTTPCLOSE),
                f.has(ProxyOption.HTTP_SERVER_CLOSE) || f.has(ProxyOption.HTTPCLOSE), log,
                f.has(ProxyOption.HTTPLOG), f.has(ProxyOption.TCPLOG), errors, states.frontendCounters(f.name()), f.has(ProxyOption.SOCKET_STATS));
    }

    /** The sinks of {@code targets} (opened once per address), or null when there is none. */
    private ProxyLog proxyLog(List<LogTarget> targets) throws ApplyException {
        if (targets.isEmpty()) {
            return null;
        }
        for (LogTarget target : targets) {
            LogSink.check(target);
        }
        if (sinks == NO_LOGS) {
            return null;
        }
        List<LogSink> list = new ArrayList<>();
        for (LogTarget target : targets) {
            list.add(sinks.sink(target.address()));
        }
        return new ProxyLog(targets, List.copyOf(list));
    }

    private BackendRuntime backend(Backend b, Config config, ServerStateRegistry.Plan states)
            throws ApplyException {
        String where = "backend '" + b.name() + "'";
        ErrorPages errors = ErrorPages.load(b.errorFiles(), where);
        List<ServerEndpoint> servers = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (Server s : b.servers()) {
            if (seen.put(s.name(), Boolean.TRUE) != null) {
                throw new ApplyException(where + ": duplicate server '" + s.name() + "'");
            }
            InetSocketAddress addr = new InetSocketAddress(s.host(), s.port());
            if (addr.isUnresolved()) {
                throw new ApplyException(where + " server '" + s.name() + "': cannot resolve '" + s.host() + "'");
            }
            servers.add(new ServerEndpoint(s, states.attach(b, s), addr, s.ssl() ? clientSsl(s) : null,
                    servers.size()));
        }
        Timeouts t = b.timeouts();
        long connect = ms(t, Timeout.CONNECT, DEFAULT_CONNECT_TIMEOUT);
        return new BackendRuntime(b.name(), b.mode(), List.copyOf(servers), Rules.balancer(b.balance(), servers),
                HttpRules.compile(b.name(), b.httpRequestRules(), b.httpResponseRules(), b.redirectRules(), b.acls(),
                        config.userlists(),
                        b.mode() == io.flagman.config.model.Mode.HTTP ? b.stats() : null),
                Math.max(0, b.retries()), b.has(ProxyOption.REDISPATCH), connect, ms(t, Timeout.SERVER, 0),
                ms(t, Timeout.QUEUE, connect), ms(t, Timeout.TUNNEL, 0), ms(t, Timeout.SERVER_FIN, 0),
                b.has(ProxyOption.HTTP_SERVER_CLOSE) || b.has(ProxyOption.HTTPCLOSE), b.has(ProxyOption.HTTPCLOSE),
                b.forwardFor(), errors,
                states.queue(b.name()), proxyLog(b.logs()), b.has(ProxyOption.ABORTONCLOSE),
                states.backendCounters(b.name()));
    }

    private SslContext clientSsl(Server s) throws ApplyException {
        try {
            if ("required".equals(s.verify())) {
                if (verifyingClient == null) {
                    verifyingClient = SslContextBuilder.forClient().build();
                }
                return verifyingClient;
            }
            if (insecureClient == null) {
                insecureClient = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                        .build();
            }
            return insecureClient;
        } catch (SSLException e) {
            throw new ApplyException("server '" + s.name() + "': TLS: " + e.getMessage(), e);
        }
    }

    private static long ms(Timeouts t, Timeout kind, long fallback) {
        Duration d = t == null ? null : t.get(kind);
        return d == null ? fallback : Math.max(1, d.toMillis());
    }
}
