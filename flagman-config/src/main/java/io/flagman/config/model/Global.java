package io.flagman.config.model;

import java.time.Duration;
import java.util.List;

/**
 * The {@code global} section.
 *
 * @param maxconn process-wide connection limit, 0 when unset
 * @param nbthread worker threads, 0 when unset (Flagman then uses the number of cores)
 * @param logs {@code log} targets that {@code log global} refers to
 * @param hardStopAfter how long removed listeners may drain, null when unset
 * @param statsSockets the runtime sockets ({@code stats socket} lines), in file order
 * @param statsTimeout {@code stats timeout}: how long a runtime socket connection may stay idle, null when unset
 *     (HAProxy's default: 10 s)
 * @param statsMaxconn {@code stats maxconn}: concurrent runtime socket connections, 0 when unset (default 10)
 */
public record Global(
        int maxconn, int nbthread, List<LogTarget> logs, Duration hardStopAfter, List<StatsSocket> statsSockets,
        Duration statsTimeout, int statsMaxconn) {

    public static final Duration DEFAULT_STATS_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_STATS_MAXCONN = 10;
    public static final Global DEFAULT = new Global(0, 0, List.of(), null, List.of(), null, 0);

    public Global {
        logs = List.copyOf(logs);
        statsSockets = List.copyOf(statsSockets);
    }

    /** The idle timeout of a runtime socket connection: {@code stats timeout}, else 10 s. */
    public Duration effectiveStatsTimeout() {
        return statsTimeout != null ? statsTimeout : DEFAULT_STATS_TIMEOUT;
    }

    /** The limit of concurrent runtime socket connections: {@code stats maxconn}, else 10. */
    public int effectiveStatsMaxconn() {
        return statsMaxconn > 0 ? statsMaxconn : DEFAULT_STATS_MAXCONN;
    }
}
