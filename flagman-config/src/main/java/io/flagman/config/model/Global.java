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
 * @param statsSockets addresses of {@code stats socket} lines (accepted; the runtime socket is later work)
 */
public record Global(
        int maxconn, int nbthread, List<LogTarget> logs, Duration hardStopAfter, List<String> statsSockets) {

    public static final Global DEFAULT = new Global(0, 0, List.of(), null, List.of());

    public Global {
        logs = List.copyOf(logs);
        statsSockets = List.copyOf(statsSockets);
    }
}
