package io.flagman.proxy.service;

import io.flagman.proxy.DataPlane;
import io.flagman.proxy.Snapshot;
import java.lang.management.ManagementFactory;

/** The process-wide figures of {@code show info} the exporter and the stats page show. */
record ProcessInfo(String version, int nbthread, long uptimeSeconds, long startTimeSeconds, int maxconn) {

    private static final long START_MILLIS = ManagementFactory.getRuntimeMXBean().getStartTime();

    static ProcessInfo of(Snapshot s) {
        String v = DataPlane.class.getPackage().getImplementationVersion();
        int threads = s.config().global().nbthread() > 0 ? s.config().global().nbthread()
                : Runtime.getRuntime().availableProcessors();
        long now = System.currentTimeMillis();
        return new ProcessInfo(v != null ? v : "dev", threads, (now - START_MILLIS) / 1000, START_MILLIS / 1000,
                s.config().global().maxconn());
    }
}
