package io.flagman.proxy.service;

import io.flagman.config.model.Frontend;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.service.PrometheusText.Type;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * HAProxy's Prometheus exporter ({@code http-request use-service prometheus-exporter}): the metric families
 * {@code haproxy_process_*}, {@code haproxy_frontend_*}, {@code haproxy_backend_*} and {@code haproxy_server_*}
 * with HAProxy's names, types, help texts and labels, rendered from one snapshot and its live server states.
 * Metric-major as HAProxy: each family lists every proxy (or server) in configuration order.
 */
public final class PrometheusExporter {

    /** The {@code scope} values HAProxy accepts. */
    public enum Scope {
        GLOBAL,
        FRONTEND,
        BACKEND,
        SERVER,
        LISTENER,
        STICKTABLE,
        RESOLVER
    }

    /** What the query string asked: the scopes to dump and {@code no-maint}. Null from {@link #parse}: a 400. */
    public record Query(Set<Scope> scopes, boolean noMaint) {}

    private static final List<String> CHECK_STATES = List.of("HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK",
            "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK", "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK");

    private final Snapshot snapshot;
    private final Query query;
    private final PrometheusText out = new PrometheusText();

    private PrometheusExporter(Snapshot snapshot, Query query) {
        this.snapshot = snapshot;
        this.query = query;
    }

    /**
     * The query string of a scrape (the part after {@code ?}, may be null): {@code scope} repeatable, {@code *}
     * meaning every scope, no {@code scope} meaning all; {@code no-maint}. Null when a scope is unknown.
     */
    public static Query parse(String queryString) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        boolean scoped = false;
        boolean noMaint = false;
        if (queryString != null && !queryString.isEmpty()) {
            for (String part : queryString.split("&")) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? part : part.substring(0, eq);
                String value = eq < 0 ? "" : part.substring(eq + 1);
                switch (key) {
                    case "scope" -> {
                        scoped = true;
                        if (value.equals("*")) {
                            scopes.addAll(EnumSet.allOf(Scope.class));
                        } else if (!value.isEmpty()) {
                            Scope s = scope(value);
                            if (s == null) {
                                return null;
                            }
                            scopes.add(s);
                        }
                    }
                    case "no-maint" -> noMaint = true;
                    default -> { } // metrics=, desc-labels, extra-counters: not implemented (docs/runtime.md)
                }
            }
        }
        return new Query(scoped ? scopes : EnumSet.allOf(Scope.class), noMaint);
    }

    private static Scope scope(String v) {
        for (Scope s : Scope.values()) {
            if (s.name().toLowerCase(java.util.Locale.ROOT).equals(v)) {
                return s;
            }
        }
        return null;
    }

    /** The exposition text of one scrape. On the event loop: reads counters and live state only. */
    public static String render(Snapshot snapshot, Query query) {
        PrometheusExporter e = new PrometheusExporter(snapshot, query);
        if (query.scopes().contains(Scope.GLOBAL)) {
            e.process();
        }
        if (query.scopes().contains(Scope.FRONTEND)) {
            e.frontends();
        }
        if (query.scopes().contains(Scope.BACKEND)) {
            e.backends();
        }
        if (query.scopes().contains(Scope.SERVER)) {
            e.servers();
        }
        return e.out.text();
    }

    // ---------------------------------------------------------------- process

    private void process() {
        ProcessInfo p = ProcessInfo.of(snapshot);
        out.family("haproxy_process_build_info", Type.GAUGE, "Build info").sample(1, "version", p.version());
        out.family("haproxy_process_nbthread", Type.GAUGE, "Number of started threads (global.nbthread)")
                .sample(p.nbthread());
        out.family("haproxy_process_uptime_seconds", Type.GAUGE,
                "How long ago this worker process was started (seconds)").sample(p.uptimeSeconds());
        out.family("haproxy_process_start_time_seconds", Type.GAUGE, "Start time in seconds")
                .sample(p.startTimeSeconds());
        if (p.maxconn() > 0) {
            out.family("haproxy_process_max_connections", Type.GAUGE,
                    "Hard limit on the number of per-process connections (configured or imposed by Ulimit-n)")
                    .sample(p.maxconn());
        }
    }

    // ---------------------------------------------------------------- frontends

    private List<Frontend> frontendConfigs() {
        List<Frontend> out = new ArrayList<>();
        for (Frontend f : snapshot.config().frontends()) {
            if (!f.disabled() && snapshot.frontend(f.name()) != null) {
                out.add(f);
            }
        }
        return out;
    }

    private void frontends() {
        List<Frontend> fes = frontendConfigs();
        out.family("haproxy_frontend_status", Type.GAUGE, "Current status of the service, per state label value.");
        for (String state : List.of("DOWN", "UP")) {
            for (Frontend f : fes) {
                out.sample(state.equals("UP") ? 1 : 0, "proxy", f.name(), "state", state);
            }
        }
        out.family("haproxy_frontend_limit_sessions", Type.GAUGE, "Frontend/listener/server's maxconn, backend's fullconn");
        for (Frontend f : fes) {
            out.sample(f.maxconn() > 0 ? f.maxconn() : snapshot.config().global().maxconn(), "proxy", f.name());
        }
    }

    // ---------------------------------------------------------------- backends

    private List<BackendRuntime> backendRuntimes() {
        List<BackendRuntime> out = new ArrayList<>();
        for (var b : snapshot.config().backends()) {
            BackendRuntime r = snapshot.backend(b.name());
            if (!b.disabled() && r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private void backends() {
        List<BackendRuntime> bes = backendRuntimes();
        out.family("haproxy_backend_status", Type.GAUGE, "Current status of the service, per state label value.");
        for (String state : List.of("DOWN", "UP")) {
            for (BackendRuntime b : bes) {
                boolean up = BackendFigures.up(b);
                out.sample(up == state.equals("UP") ? 1 : 0, "proxy", b.name(), "state", state);
            }
        }
        backendGauge(bes, "haproxy_backend_current_queue", "Number of current queued connections",
                b -> b.queue().size());
        backendGauge(bes, "haproxy_backend_current_sessions",
                "Number of current sessions on the frontend, backend or server", b -> sum(b, ServerState::activeConnections));
        backendCounter(bes, "haproxy_backend_sessions_total", "Total number of sessions since process started",
                b -> sum(b, ServerState::totalRequests));
        backendCounter(bes, "haproxy_backend_bytes_in_total", "Total number of request bytes since process started",
                b -> sum(b, ServerState::bytesIn));
        backendCounter(bes, "haproxy_backend_bytes_out_total",
                "Total number of response bytes since process started", b -> sum(b, ServerState::bytesOut));
        backendCounter(bes, "haproxy_backend_connection_errors_total",
                "Total number of failed connections to server since the worker process started",
                b -> sum(b, ServerState::connectErrors));
        backendCounter(bes, "haproxy_backend_response_errors_total",
                "Total number of invalid responses since the worker process started",
                b -> sum(b, ServerState::responseErrors));
        backendCounter(bes, "haproxy_backend_retry_warnings_total",
                "Total number of server connection retries since the worker process started",
                b -> sum(b, ServerState::retries));
        backendCounter(bes, "haproxy_backend_redispatch_warnings_total",
                "Total number of server redispatches due to connection failures since the worker process started",
                b -> sum(b, ServerState::redispatches));
        backendGauge(bes, "haproxy_backend_weight",
                "Server's effective weight, or sum of active servers' effective weights for a backend",
                BackendFigures::weight);
        backendGauge(bes, "haproxy_backend_active_servers", "Total number of active UP servers with a non-zero weight",
                b -> BackendFigures.usable(b, false));
        backendGauge(bes, "haproxy_backend_backup_servers", "Total number of backup UP servers with a non-zero weight",
                b -> BackendFigures.usable(b, true));
        List<BackendRuntime> http = bes.stream().filter(b -> b.mode() == io.flagman.config.model.Mode.HTTP).toList();
        backendCounter(http, "haproxy_backend_http_requests_total",
                "Total number of HTTP requests processed by this object since the worker process started",
                b -> sum(b, ServerState::totalRequests));
        out.family("haproxy_backend_agg_server_status", Type.GAUGE, "Backend's aggregated gauge of servers' status");
        for (ServerStatus st : ServerStatus.values()) {
            for (BackendRuntime b : bes) {
                long n = b.servers().stream().filter(e -> ServerStatus.of(e) == st).count();
                out.sample(n, "proxy", b.name(), "state", st.name());
            }
        }
    }

    private void backendGauge(List<BackendRuntime> bes, String name, String help, ToLongFunction<BackendRuntime> v) {
        out.family(name, Type.GAUGE, help);
        for (BackendRuntime b : bes) {
            out.sample(v.applyAsLong(b), "proxy", b.name());
        }
    }

    private void backendCounter(List<BackendRuntime> bes, String name, String help, ToLongFunction<BackendRuntime> v) {
        out.family(name, Type.COUNTER, help);
        for (BackendRuntime b : bes) {
            out.sample(v.applyAsLong(b), "proxy", b.name());
        }
    }

    private static long sum(BackendRuntime b, ToLongFunction<ServerState> f) {
        long n = 0;
        for (ServerEndpoint e : b.servers()) {
            n += f.applyAsLong(e.state());
        }
        return n;
    }

    // ---------------------------------------------------------------- servers

    private record Row(BackendRuntime backend, ServerEndpoint server) {}

    private List<Row> serverRows() {
        List<Row> rows = new ArrayList<>();
        for (BackendRuntime b : backendRuntimes()) {
            for (ServerEndpoint e : b.servers()) {
                if (query.noMaint() && e.state().adminState() == ServerState.AdminState.MAINT) {
                    continue;
                }
                rows.add(new Row(b, e));
            }
        }
        return rows;
    }

    private void servers() {
        List<Row> rows = serverRows();
        out.family("haproxy_server_status", Type.GAUGE, "Current status of the service, per state label value.");
        for (ServerStatus st : ServerStatus.values()) {
            for (Row r : rows) {
                out.sample(ServerStatus.of(r.server) == st ? 1 : 0, "proxy", r.backend.name(), "server",
                        r.server.name(), "state", st.name());
            }
        }
        serverGauge(rows, "haproxy_server_current_sessions",
                "Number of current sessions on the frontend, backend or server", e -> e.state().activeConnections());
        serverGauge(rows, "haproxy_server_current_queue", "Number of current queued connections", e -> 0);
        out.family("haproxy_server_limit_sessions", Type.GAUGE, "Frontend/listener/server's maxconn, backend's fullconn");
        for (Row r : rows) {
            if (r.server.maxconn() > 0) {
                out.sample(r.server.maxconn(), labels(r));
            } else {
                out.unknown(labels(r));
            }
        }
        serverCounter(rows, "haproxy_server_sessions_total", "Total number of sessions since process started",
                e -> e.state().totalRequests());
        serverCounter(rows, "haproxy_server_bytes_in_total", "Total number of request bytes since process started",
                e -> e.state().bytesIn());
        serverCounter(rows, "haproxy_server_bytes_out_total", "Total number of response bytes since process started",
                e -> e.state().bytesOut());
        serverCounter(rows, "haproxy_server_connection_errors_total",
                "Total number of failed connections to server since the worker process started",
                e -> e.state().connectErrors());
        serverCounter(rows, "haproxy_server_response_errors_total",
                "Total number of invalid responses since the worker process started", e -> e.state().responseErrors());
        serverCounter(rows, "haproxy_server_retry_warnings_total",
                "Total number of server connection retries since the worker process started", e -> e.state().retries());
        serverCounter(rows, "haproxy_server_redispatch_warnings_total",
                "Total number of server redispatches due to connection failures since the worker process started",
                e -> e.state().redispatches());
        serverGauge(rows, "haproxy_server_weight",
                "Server's effective weight, or sum of active servers' effective weights for a backend",
                e -> ServerStatus.of(e) == ServerStatus.UP ? e.weight() : 0);
        serverGauge(rows, "haproxy_server_active", "Total number of active UP servers with a non-zero weight",
                e -> e.backup() ? 0 : 1);
        serverGauge(rows, "haproxy_server_backup", "Total number of backup UP servers with a non-zero weight",
                e -> e.backup() ? 1 : 0);
        checks(rows);
    }

    private void checks(List<Row> rows) {
        List<Row> checked = rows.stream().filter(r -> r.server.server().check()
                && r.server.state().adminState() != ServerState.AdminState.MAINT).toList();
        out.family("haproxy_server_check_status", Type.GAUGE, "Status of last health check, per state label value.");
        for (String code : CHECK_STATES) {
            for (Row r : checked) {
                ServerState.CheckReport c = r.server.state().lastCheck();
                String now = c == null ? "" : c.status();
                out.sample(code.equals(now) ? 1 : 0, "proxy", r.backend.name(), "server", r.server.name(),
                        "state", code);
            }
        }
        out.family("haproxy_server_check_duration_seconds", Type.GAUGE,
                "Total duration of the latest server health check, in seconds.");
        for (Row r : checked) {
            ServerState.CheckReport c = r.server.state().lastCheck();
            out.seconds(c == null || c.durationMillis() < 0 ? Double.NaN : c.durationMillis() / 1000.0, labels(r));
        }
    }

    private static String[] labels(Row r) {
        return new String[] {"proxy", r.backend.name(), "server", r.server.name()};
    }

    private void serverGauge(List<Row> rows, String name, String help, ToLongFunction<ServerEndpoint> v) {
        out.family(name, Type.GAUGE, help);
        for (Row r : rows) {
            out.sample(v.applyAsLong(r.server), labels(r));
        }
    }

    private void serverCounter(List<Row> rows, String name, String help, ToLongFunction<ServerEndpoint> v) {
        out.family(name, Type.COUNTER, help);
        for (Row r : rows) {
            out.sample(v.applyAsLong(r.server), labels(r));
        }
    }
}
