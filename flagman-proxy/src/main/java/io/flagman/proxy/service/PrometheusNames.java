package io.flagman.proxy.service;

import io.flagman.proxy.stats.StatField;
import java.util.EnumMap;
import java.util.Map;

/**
 * HAProxy's Prometheus names of the stat columns: the column's long name and its description (HAProxy 3.2's
 * {@code stat_cols_px}, with the exporter's own overrides for status, checks and times). A column without a long
 * name is not exported.
 */
final class PrometheusNames {

    /** A metric name without its {@code haproxy_<object>_} prefix, and its {@code # HELP} text. */
    record Name(String metric, String help) {}

    static final Map<StatField, Name> NAMES = names();

    private PrometheusNames() {}

    private static Map<StatField, Name> names() {
        Map<StatField, Name> m = new EnumMap<>(StatField.class);
        m.put(StatField.QCUR, new Name("current_queue", "Number of current queued connections"));
        m.put(StatField.QMAX, new Name("max_queue", "Highest value of queued connections encountered since process started"));
        m.put(StatField.SCUR, new Name("current_sessions", "Number of current sessions on the frontend, backend or server"));
        m.put(StatField.SMAX, new Name("max_sessions", "Highest value of current sessions encountered since process started"));
        m.put(StatField.SLIM, new Name("limit_sessions", "Frontend/listener/server's maxconn, backend's fullconn"));
        m.put(StatField.STOT, new Name("sessions_total", "Total number of sessions since process started"));
        m.put(StatField.BIN, new Name("bytes_in_total", "Total number of request bytes since process started"));
        m.put(StatField.BOUT, new Name("bytes_out_total", "Total number of response bytes since process started"));
        m.put(StatField.DREQ, new Name("requests_denied_total", "Total number of denied requests since process started"));
        m.put(StatField.DRESP, new Name("responses_denied_total", "Total number of denied responses since process started"));
        m.put(StatField.EREQ, new Name("request_errors_total", "Total number of invalid requests since process started"));
        m.put(StatField.ECON, new Name("connection_errors_total", "Total number of failed connections to server since the worker process started"));
        m.put(StatField.ERESP, new Name("response_errors_total", "Total number of invalid responses since the worker process started"));
        m.put(StatField.WRETR, new Name("retry_warnings_total", "Total number of server connection retries since the worker process started"));
        m.put(StatField.WREDIS, new Name("redispatch_warnings_total", "Total number of server redispatches due to connection failures since the worker process started"));
        m.put(StatField.STATUS, new Name("status", "Current status of the service, per state label value."));
        m.put(StatField.WEIGHT, new Name("weight", "Server's effective weight, or sum of active servers' effective weights for a backend"));
        m.put(StatField.ACT, new Name("active_servers", "Total number of active UP servers with a non-zero weight"));
        m.put(StatField.BCK, new Name("backup_servers", "Total number of backup UP servers with a non-zero weight"));
        m.put(StatField.CHKFAIL, new Name("check_failures_total", "Total number of failed individual health checks per server/backend, since the worker process started"));
        m.put(StatField.CHKDOWN, new Name("check_up_down_total", "Total number of failed checks causing UP to DOWN server transitions, per server/backend, since the worker process started"));
        m.put(StatField.LASTCHG, new Name("check_last_change_seconds", "How long ago the last server state changed, in seconds"));
        m.put(StatField.DOWNTIME, new Name("downtime_seconds_total", "Total time spent in DOWN state, for server or backend"));
        m.put(StatField.QLIMIT, new Name("queue_limit", "Limit on the number of connections in queue, for servers only (maxqueue argument)"));
        m.put(StatField.THROTTLE, new Name("current_throttle", "Throttling ratio applied to a server's maxconn and weight during the slowstart period (0 to 100%)"));
        m.put(StatField.LBTOT, new Name("loadbalanced_total", "Total number of requests routed by load balancing since the worker process started (ignores queue pop and stickiness)"));
        m.put(StatField.RATE, new Name("current_session_rate", "Total number of sessions processed by this object over the last second (sessions for listeners/frontends, requests for backends/servers)"));
        m.put(StatField.RATE_LIM, new Name("limit_session_rate", "Limit on the number of sessions accepted in a second (frontend only, 'rate-limit sessions' setting)"));
        m.put(StatField.RATE_MAX, new Name("max_session_rate", "Highest value of sessions per second observed since the worker process started"));
        m.put(StatField.CHECK_STATUS, new Name("check_status", "Status of last health check, per state label value."));
        m.put(StatField.CHECK_CODE, new Name("check_code", "layer5-7 code, if available of the last health check."));
        m.put(StatField.CHECK_DURATION, new Name("check_duration_seconds", "Total duration of the latest server health check, in seconds."));
        m.put(StatField.HRSP_1XX, new Name("http_responses_total", "Total number of HTTP responses with status 100-199 returned by this object since the worker process started"));
        m.put(StatField.HRSP_2XX, new Name("http_responses_total", "Total number of HTTP responses with status 200-299 returned by this object since the worker process started"));
        m.put(StatField.HRSP_3XX, new Name("http_responses_total", "Total number of HTTP responses with status 300-399 returned by this object since the worker process started"));
        m.put(StatField.HRSP_4XX, new Name("http_responses_total", "Total number of HTTP responses with status 400-499 returned by this object since the worker process started"));
        m.put(StatField.HRSP_5XX, new Name("http_responses_total", "Total number of HTTP responses with status 500-599 returned by this object since the worker process started"));
        m.put(StatField.HRSP_OTHER, new Name("http_responses_total", "Total number of HTTP responses with status <100, >599 returned by this object since the worker process started (error -1 included)"));
        m.put(StatField.REQ_RATE_MAX, new Name("http_requests_rate_max", "Highest value of http requests observed since the worker process started"));
        m.put(StatField.REQ_TOT, new Name("http_requests_total", "Total number of HTTP requests processed by this object since the worker process started"));
        m.put(StatField.CLI_ABRT, new Name("client_aborts_total", "Total number of requests or connections aborted by the client since the worker process started"));
        m.put(StatField.SRV_ABRT, new Name("server_aborts_total", "Total number of requests or connections aborted by the server since the worker process started"));
        m.put(StatField.COMP_IN, new Name("http_comp_bytes_in_total", "Total number of bytes submitted to the HTTP compressor for this object since the worker process started"));
        m.put(StatField.COMP_OUT, new Name("http_comp_bytes_out_total", "Total number of bytes emitted by the HTTP compressor for this object since the worker process started"));
        m.put(StatField.COMP_BYP, new Name("http_comp_bytes_bypassed_total", "Total number of bytes that bypassed HTTP compression for this object since the worker process started (CPU/memory/bandwidth limitation)"));
        m.put(StatField.COMP_RSP, new Name("http_comp_responses_total", "Total number of HTTP responses that were compressed for this object since the worker process started"));
        m.put(StatField.LASTSESS, new Name("last_session_seconds", "How long ago some traffic was seen on this object on this worker process, in seconds"));
        m.put(StatField.QTIME, new Name("queue_time_average_seconds", "Avg. queue time for last 1024 successful connections."));
        m.put(StatField.CTIME, new Name("connect_time_average_seconds", "Avg. connect time for last 1024 successful connections."));
        m.put(StatField.RTIME, new Name("response_time_average_seconds", "Avg. response time for last 1024 successful connections."));
        m.put(StatField.TTIME, new Name("total_time_average_seconds", "Avg. total time for last 1024 successful connections."));
        m.put(StatField.AGENT_STATUS, new Name("agent_status", "Status of last agent check, per state label value."));
        m.put(StatField.AGENT_CODE, new Name("agent_code", "Status code reported by the latest server agent check"));
        m.put(StatField.AGENT_DURATION, new Name("agent_duration_seconds", "Total duration of the latest server agent check, in seconds."));
        m.put(StatField.CONN_RATE_MAX, new Name("connections_rate_max", "Highest value of connections per second observed since the worker process started"));
        m.put(StatField.CONN_TOT, new Name("connections_total", "Total number of new connections accepted on this frontend since the worker process started"));
        m.put(StatField.INTERCEPTED, new Name("intercepted_requests_total", "Total number of HTTP requests intercepted on the frontend (redirects/stats/services) since the worker process started"));
        m.put(StatField.DCON, new Name("denied_connections_total", "Total number of incoming connections blocked on a listener/frontend by a tcp-request connection rule since the worker process started"));
        m.put(StatField.DSES, new Name("denied_sessions_total", "Total number of incoming sessions blocked on a listener/frontend by a tcp-request connection rule since the worker process started"));
        m.put(StatField.WREW, new Name("failed_header_rewriting_total", "Total number of failed HTTP header rewrites since the worker process started"));
        m.put(StatField.CONNECT, new Name("connection_attempts_total", "Total number of outgoing connection attempts on this backend/server since the worker process started"));
        m.put(StatField.REUSE, new Name("connection_reuses_total", "Total number of reused connection on this backend/server since the worker process started"));
        m.put(StatField.CACHE_LOOKUPS, new Name("http_cache_lookups_total", "Total number of HTTP requests looked up in the cache on this frontend/backend since the worker process started"));
        m.put(StatField.CACHE_HITS, new Name("http_cache_hits_total", "Total number of HTTP requests not found in the cache on this frontend/backend since the worker process started"));
        m.put(StatField.SRV_ICUR, new Name("idle_connections_current", "Current number of idle connections available for reuse on this server"));
        m.put(StatField.SRC_ILIM, new Name("idle_connections_limit", "Limit on the number of available idle connections on this server (server 'pool_max_conn' directive)"));
        m.put(StatField.QTIME_MAX, new Name("max_queue_time_seconds", "Maximum observed time spent in the queue"));
        m.put(StatField.CTIME_MAX, new Name("max_connect_time_seconds", "Maximum observed time spent waiting for a connection to complete"));
        m.put(StatField.RTIME_MAX, new Name("max_response_time_seconds", "Maximum observed time spent waiting for a server response"));
        m.put(StatField.TTIME_MAX, new Name("max_total_time_seconds", "Maximum observed total request+response time (request+queue+connect+response+processing)"));
        m.put(StatField.EINT, new Name("internal_errors_total", "Total number of internal errors since process started"));
        m.put(StatField.IDLE_CONN_CUR, new Name("unsafe_idle_connections_current", "Current number of unsafe idle connections"));
        m.put(StatField.SAFE_CONN_CUR, new Name("safe_idle_connections_current", "Current number of safe idle connections"));
        m.put(StatField.USED_CONN_CUR, new Name("used_connections_current", "Current number of connections in use"));
        m.put(StatField.NEED_CONN_EST, new Name("need_connections_current", "Estimated needed number of connections"));
        m.put(StatField.UWEIGHT, new Name("uweight", "Server's user weight, or sum of active servers' user weights for a backend"));
        m.put(StatField.AGG_SERVER_CHECK_STATUS, new Name("agg_server_check_status", "[DEPRECATED] Backend's aggregated gauge of servers' status"));
        m.put(StatField.AGG_SERVER_STATUS, new Name("agg_server_status", "Backend's aggregated gauge of servers' status"));
        m.put(StatField.AGG_CHECK_STATUS, new Name("agg_check_status", "Backend's aggregated gauge of servers' state check status"));
        return m;
    }
}
