package io.flagman.proxy.service;

import io.flagman.proxy.stats.InfoField;
import java.util.EnumMap;
import java.util.Map;

/**
 * HAProxy's Prometheus names of the {@code show info} fields ({@code haproxy_process_<name>}) and their
 * descriptions (HAProxy 3.2's {@code stat_cols_info}). A field without a long name is not exported.
 */
final class PrometheusInfoNames {

    /** A metric name without its {@code haproxy_process_} prefix, and its {@code # HELP} text. */
    record Name(String metric, String help) {}

    static final Map<InfoField, Name> NAMES = names();

    private PrometheusInfoNames() {}

    private static Map<InfoField, Name> names() {
        Map<InfoField, Name> m = new EnumMap<>(InfoField.class);
        m.put(InfoField.NBTHREAD, new Name("nbthread", "Number of started threads (global.nbthread)"));
        m.put(InfoField.NBPROC, new Name("nbproc", "Number of started worker processes (historical, always 1)"));
        m.put(InfoField.PROCESS_NUM, new Name("relative_process_id", "Relative worker process number (1)"));
        m.put(InfoField.UPTIME_SEC, new Name("uptime_seconds", "How long ago this worker process was started (seconds)"));
        m.put(InfoField.START_TIME_SEC, new Name("start_time_seconds", "Start time in seconds"));
        m.put(InfoField.MEMMAX_BYTES, new Name("max_memory_bytes", "Worker process's hard limit on memory usage in bytes (-m on command line)"));
        m.put(InfoField.POOLALLOC_BYTES, new Name("pool_allocated_bytes", "Amount of memory allocated in pools (in bytes)"));
        m.put(InfoField.POOLUSED_BYTES, new Name("pool_used_bytes", "Amount of pool memory currently used (in bytes)"));
        m.put(InfoField.POOLFAILED, new Name("pool_failures_total", "Number of failed pool allocations since this worker was started"));
        m.put(InfoField.ULIMIT_N, new Name("max_fds", "Hard limit on the number of per-process file descriptors"));
        m.put(InfoField.MAXSOCK, new Name("max_sockets", "Hard limit on the number of per-process sockets"));
        m.put(InfoField.MAXCONN, new Name("max_connections", "Hard limit on the number of per-process connections (configured or imposed by Ulimit-n)"));
        m.put(InfoField.HARD_MAXCONN, new Name("hard_max_connections", "Hard limit on the number of per-process connections (imposed by Memmax_MB or Ulimit-n)"));
        m.put(InfoField.CURRCONNS, new Name("current_connections", "Current number of connections on this worker process"));
        m.put(InfoField.CUMCONNS, new Name("connections_total", "Total number of connections on this worker process since started"));
        m.put(InfoField.CUMREQ, new Name("requests_total", "Total number of requests on this worker process since started"));
        m.put(InfoField.MAXSSLCONNS, new Name("max_ssl_connections", "Hard limit on the number of per-process SSL endpoints (front+back), 0=unlimited"));
        m.put(InfoField.CURRSSLCONNS, new Name("current_ssl_connections", "Current number of SSL endpoints on this worker process (front+back)"));
        m.put(InfoField.CUMSSLCONNS, new Name("ssl_connections_total", "Total number of SSL endpoints on this worker process since started (front+back)"));
        m.put(InfoField.MAXPIPES, new Name("max_pipes", "Hard limit on the number of pipes for splicing, 0=unlimited"));
        m.put(InfoField.PIPESUSED, new Name("pipes_used_total", "Current number of pipes in use in this worker process"));
        m.put(InfoField.PIPESFREE, new Name("pipes_free_total", "Current number of allocated and available pipes in this worker process"));
        m.put(InfoField.CONNRATE, new Name("current_connection_rate", "Number of front connections created on this worker process over the last second"));
        m.put(InfoField.CONNRATELIMIT, new Name("limit_connection_rate", "Hard limit for ConnRate (global.maxconnrate)"));
        m.put(InfoField.MAXCONNRATE, new Name("max_connection_rate", "Highest ConnRate reached on this worker process since started (in connections per second)"));
        m.put(InfoField.SESSRATE, new Name("current_session_rate", "Number of sessions created on this worker process over the last second"));
        m.put(InfoField.SESSRATELIMIT, new Name("limit_session_rate", "Hard limit for SessRate (global.maxsessrate)"));
        m.put(InfoField.MAXSESSRATE, new Name("max_session_rate", "Highest SessRate reached on this worker process since started (in sessions per second)"));
        m.put(InfoField.SSLRATE, new Name("current_ssl_rate", "Number of SSL connections created on this worker process over the last second"));
        m.put(InfoField.SSLRATELIMIT, new Name("limit_ssl_rate", "Hard limit for SslRate (global.maxsslrate)"));
        m.put(InfoField.MAXSSLRATE, new Name("max_ssl_rate", "Highest SslRate reached on this worker process since started (in connections per second)"));
        m.put(InfoField.SSLFRONTENDKEYRATE, new Name("current_frontend_ssl_key_rate", "Number of SSL keys created on frontends in this worker process over the last second"));
        m.put(InfoField.SSLFRONTENDMAXKEYRATE, new Name("max_frontend_ssl_key_rate", "Highest SslFrontendKeyRate reached on this worker process since started (in SSL keys per second)"));
        m.put(InfoField.SSLFRONTENDSESSIONREUSE_PCT, new Name("frontend_ssl_reuse", "Percent of frontend SSL connections which did not require a new key"));
        m.put(InfoField.SSLBACKENDKEYRATE, new Name("current_backend_ssl_key_rate", "Number of SSL keys created on backends in this worker process over the last second"));
        m.put(InfoField.SSLBACKENDMAXKEYRATE, new Name("max_backend_ssl_key_rate", "Highest SslBackendKeyRate reached on this worker process since started (in SSL keys per second)"));
        m.put(InfoField.SSLCACHELOOKUPS, new Name("ssl_cache_lookups_total", "Total number of SSL session ID lookups in the SSL session cache on this worker since started"));
        m.put(InfoField.SSLCACHEMISSES, new Name("ssl_cache_misses_total", "Total number of SSL session ID lookups that didn't find a session in the SSL session cache on this worker since started"));
        m.put(InfoField.COMPRESSBPSIN, new Name("http_comp_bytes_in_total", "Number of bytes submitted to the HTTP compressor in this worker process over the last second"));
        m.put(InfoField.COMPRESSBPSOUT, new Name("http_comp_bytes_out_total", "Number of bytes emitted by the HTTP compressor in this worker process over the last second"));
        m.put(InfoField.COMPRESSBPSRATELIM, new Name("limit_http_comp", "Limit of CompressBpsOut beyond which HTTP compression is automatically disabled"));
        m.put(InfoField.ZLIBMEMUSAGE, new Name("current_zlib_memory", "Amount of memory currently used by HTTP compression on the current worker process (in bytes)"));
        m.put(InfoField.MAXZLIBMEMUSAGE, new Name("max_zlib_memory", "Limit on the amount of memory used by HTTP compression above which it is automatically disabled (in bytes, see global.maxzlibmem)"));
        m.put(InfoField.TASKS, new Name("current_tasks", "Total number of tasks in the current worker process (active + sleeping)"));
        m.put(InfoField.RUN_QUEUE, new Name("current_run_queue", "Total number of active tasks+tasklets in the current worker process"));
        m.put(InfoField.IDLE_PCT, new Name("idle_time_percent", "Percentage of last second spent waiting in the current worker thread"));
        m.put(InfoField.NODE, new Name("node", "Node name (global.node)"));
        m.put(InfoField.DESCRIPTION, new Name("description", "Node description (global.description)"));
        m.put(InfoField.STOPPING, new Name("stopping", "1 if the worker process is currently stopping, otherwise zero"));
        m.put(InfoField.JOBS, new Name("jobs", "Current number of active jobs on the current worker process (frontend connections, master connections, listeners)"));
        m.put(InfoField.UNSTOPPABLE_JOBS, new Name("unstoppable_jobs", "Current number of unstoppable jobs on the current worker process (master connections)"));
        m.put(InfoField.LISTENERS, new Name("listeners", "Current number of active listeners on the current worker process"));
        m.put(InfoField.ACTIVEPEERS, new Name("active_peers", "Current number of verified active peers connections on the current worker process"));
        m.put(InfoField.CONNECTEDPEERS, new Name("connected_peers", "Current number of peers having passed the connection step on the current worker process"));
        m.put(InfoField.DROPPEDLOGS, new Name("dropped_logs_total", "Total number of dropped logs for current worker process since started"));
        m.put(InfoField.BUSYPOLLING, new Name("busy_polling_enabled", "1 if busy-polling is currently in use on the worker process, otherwise zero (config.busy-polling)"));
        m.put(InfoField.FAILEDRESOLUTIONS, new Name("failed_resolutions", "Total number of failed DNS resolutions in current worker process since started"));
        m.put(InfoField.TOTALBYTESOUT, new Name("bytes_out_total", "Total number of bytes emitted by current worker process since started"));
        m.put(InfoField.TOTALSPLICEDBYTESOUT, new Name("spliced_bytes_out_total", "Total number of bytes emitted by current worker process through a kernel pipe since started"));
        m.put(InfoField.BYTESOUTRATE, new Name("bytes_out_rate", "Number of bytes emitted by current worker process over the last second"));
        m.put(InfoField.CUMRECVLOGS, new Name("recv_logs_total", "Total number of log messages received by log-forwarding listeners on this worker process since started"));
        m.put(InfoField.BUILD_INFO, new Name("build_info", "Build info"));
        m.put(InfoField.TOTALWARNINGS, new Name("total_warnings", "Total warnings issued"));
        return m;
    }
}
