package io.flagman.config.parse;

import io.flagman.config.model.LogTarget;
import io.flagman.config.model.StatsSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the global section(s) say. */
final class GlobalBuilder {
    int maxconn;
    int nbthread;
    final List<LogTarget> logs = new ArrayList<>();
    Duration hardStopAfter;
    final List<StatsSocket> statsSockets = new ArrayList<>();
    Duration statsTimeout;
    int statsMaxconn;
    /** {@code crt-base} / {@code ca-base}, null when unset. */
    String crtBase;
    String caBase;
}
