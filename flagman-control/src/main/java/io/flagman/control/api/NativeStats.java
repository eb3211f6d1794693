package io.flagman.control.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.control.RuntimeStats;
import io.flagman.control.model.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code show stat} and {@code show info} spelled as the Data Plane API's {@code native_stats} and
 * {@code process_info}: the fields the spec names, from the data plane's one statistics model.
 */
final class NativeStats {
    private NativeStats() {}

    /** The properties of the spec's {@code native_stat_stats}, by their {@code show stat} column names. */
    static final Set<String> FIELDS = Set.of("act", "addr", "agent_code", "agent_desc", "agent_duration",
            "agent_fall", "agent_health", "agent_rise", "agent_status", "algo", "bck", "bin", "bout", "check_code",
            "check_desc", "check_duration", "check_fall", "check_health", "check_rise", "check_status", "chkdown",
            "chkfail", "cli_abrt", "comp_byp", "comp_in", "comp_out", "comp_rsp", "conn_rate", "conn_rate_max",
            "conn_tot", "cookie", "ctime", "dcon", "downtime", "dreq", "dresp", "dses", "econ", "ereq", "eresp",
            "hanafail", "hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other", "iid",
            "intercepted", "last_agt", "last_chk", "lastchg", "lastsess", "lbtot", "mode", "pid", "qcur", "qlimit",
            "qmax", "qtime", "rate", "rate_lim", "rate_max", "req_rate", "req_rate_max", "req_tot", "rtime", "scur",
            "sid", "slim", "smax", "srv_abrt", "status", "stot", "throttle", "tracked", "ttime", "weight", "wredis",
            "wretr");

    /** {@code show info} names → the spec's {@code process_info_item} properties (the others are not served). */
    static final Map<String, String> INFO = Map.ofEntries(
            Map.entry("ActivePeers", "active_peers"), Map.entry("BusyPolling", "busy_polling"),
            Map.entry("BytesOutRate", "bytes_out_rate"), Map.entry("CompressBpsIn", "compress_bps_in"),
            Map.entry("CompressBpsOut", "compress_bps_out"), Map.entry("CompressBpsRateLim", "compress_bps_rate_lim"),
            Map.entry("ConnRate", "conn_rate"), Map.entry("ConnRateLimit", "conn_rate_limit"),
            Map.entry("ConnectedPeers", "connected_peers"), Map.entry("CumConns", "cum_conns"),
            Map.entry("CumReq", "cum_req"), Map.entry("CumSslConns", "cum_ssl_conns"),
            Map.entry("CurrConns", "curr_conns"), Map.entry("CurrSslConns", "curr_ssl_conns"),
            Map.entry("DroppedLogs", "dropped_logs"), Map.entry("FailedResolutions", "failed_resolutions"),
            Map.entry("Hard_maxconn", "hard_max_conn"), Map.entry("Idle_pct", "idle_pct"), Map.entry("Jobs", "jobs"),
            Map.entry("Listeners", "listeners"), Map.entry("Maxconn", "max_conn"),
            Map.entry("MaxConnRate", "max_conn_rate"), Map.entry("Maxpipes", "max_pipes"),
            Map.entry("MaxSessRate", "max_sess_rate"), Map.entry("Maxsock", "max_sock"),
            Map.entry("MaxSslConns", "max_ssl_conns"), Map.entry("MaxSslRate", "max_ssl_rate"),
            Map.entry("MaxZlibMemUsage", "max_zlib_mem_usage"), Map.entry("Memmax_MB", "mem_max_mb"),
            Map.entry("Nbthread", "nbthread"), Map.entry("node", "node"), Map.entry("Pid", "pid"),
            Map.entry("PipesFree", "pipes_free"), Map.entry("PipesUsed", "pipes_used"),
            Map.entry("PoolAlloc_MB", "pool_alloc_mb"), Map.entry("PoolFailed", "pool_failed"),
            Map.entry("PoolUsed_MB", "pool_used_mb"), Map.entry("Process_num", "process_num"),
            Map.entry("Nbproc", "processes"), Map.entry("Release_date", "release_date"),
            Map.entry("Run_queue", "run_queue"), Map.entry("SessRate", "sess_rate"),
            Map.entry("SessRateLimit", "sess_rate_limit"), Map.entry("SslBackendKeyRate", "ssl_backend_key_rate"),
            Map.entry("SslBackendMaxKeyRate", "ssl_backend_max_key_rate"),
            Map.entry("SslCacheLookups", "ssl_cache_lookups"), Map.entry("SslCacheMisses", "ssl_cache_misses"),
            Map.entry("SslFrontendKeyRate", "ssl_frontend_key_rate"),
            Map.entry("SslFrontendMaxKeyRate", "ssl_frontend_max_key_rate"),
            Map.entry("SslFrontendSessionReuse_pct", "ssl_frontend_session_reuse"),
            Map.entry("SslRate", "ssl_rate"), Map.entry("SslRateLimit", "ssl_rate_limit"),
            Map.entry("Stopping", "stopping"), Map.entry("Tasks", "tasks"),
            Map.entry("TotalBytesOut", "total_bytes_out"), Map.entry("Ulimit-n", "ulimit_n"),
            Map.entry("Unstoppable Jobs", "unstoppable"), Map.entry("Uptime_sec", "uptime"),
            Map.entry("Version", "version"), Map.entry("ZlibMemUsage", "zlib_mem_usage"));

    /**
     * The query of {@code stats/native}: {@code type} one of frontend, backend, server; {@code name} and
     * {@code parent} exact names (empty = not given).
     */
    record Filter(String type, String name, String parent) {
        static Filter of(String type, String name, String parent) {
            type = blankToNull(type);
            name = blankToNull(name);
            parent = blankToNull(parent);
            if (type != null && !List.of("frontend", "backend", "server").contains(type)) {
                throw io.flagman.control.ApiException.badRequest(
                        "type in query should be one of [backend frontend server]");
            }
            if (name != null && type == null) {
                throw io.flagman.control.ApiException.badRequest("Type required when filtering by name");
            }
            if (name != null && "server".equals(type) && parent == null) {
                throw io.flagman.control.ApiException.badRequest("Parent required when filtering server by name");
            }
            return new Filter(type, name, parent);
        }

        /** {@code parent} matches a server's backend (it is the spec's server-only filter). */
        boolean accepts(String rowType, String rowName, String backend) {
            return (type == null || type.equals(rowType)) && (name == null || name.equals(rowName))
                    && (parent == null || !rowType.equals("server") || parent.equals(backend));
        }

        private static String blankToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }

    /** The {@code stats} array: frontends, backends and servers (listener rows are not part of the API). */
    static ArrayNode stats(List<RuntimeStats.Row> rows, Filter filter) {
        ArrayNode out = Json.array();
        for (RuntimeStats.Row row : rows) {
            if (row.kind() == RuntimeStats.Kind.LISTENER) {
                continue;
            }
            String type = row.kind().name().toLowerCase(Locale.ROOT);
            boolean server = row.kind() == RuntimeStats.Kind.SERVER;
            String name = server ? row.name() : row.proxy();
            if (!filter.accepts(type, name, row.proxy())) {
                continue;
            }
            ObjectNode o = Json.object();
            if (server) {
                o.put("backend_name", row.proxy());
            }
            o.put("name", name);
            o.set("stats", values(row.values()));
            o.put("type", type);
            out.add(o);
        }
        return out;
    }

    /** The row's cells that the spec names, in alphabetical order (as HAProxy's DPA marshals them). */
    static ObjectNode values(Map<String, Object> cells) {
        ObjectNode s = Json.object();
        new java.util.TreeMap<>(cells).forEach((k, v) -> {
            if (FIELDS.contains(k)) {
                put(s, k, v);
            }
        });
        return s;
    }

    /** {@code process_info_item}: the spec's properties that {@code show info} has a value for, sorted. */
    static ObjectNode info(Map<String, Object> fields) {
        java.util.TreeMap<String, Object> named = new java.util.TreeMap<>();
        fields.forEach((k, v) -> {
            String json = INFO.get(k);
            if (json != null) {
                named.put(json, json.equals("release_date") && v instanceof String d ? d.replace('/', '-') : v);
            }
        });
        ObjectNode o = Json.object();
        named.forEach((k, v) -> put(o, k, v));
        return o;
    }

    private static void put(ObjectNode o, String k, Object v) {
        if (v instanceof Long l) {
            o.put(k, l);
        } else if (v instanceof Number n) {
            o.put(k, n.longValue());
        } else if (v != null) {
            o.put(k, v.toString());
        }
    }
}
