package io.flagman.proxy;

import io.flagman.proxy.service.StatsView;
import io.flagman.proxy.upstream.UpstreamConnector;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection handler shares for the life of the data plane: the one published snapshot (read once
 * per request or connection) and the upstream connector.
 */
public final class ProxyContext {
    private final AtomicReference<Snapshot> current;
    private final UpstreamConnector connector;
    private final StatsView stats;

    ProxyContext(AtomicReference<Snapshot> current, UpstreamConnector connector, StatsView stats) {
        this.current = current;
        this.connector = connector;
        this.stats = stats;
    }

    /** A context without a data plane (tests of one handler): statistics straight from its snapshot. */
    ProxyContext(AtomicReference<Snapshot> current, UpstreamConnector connector) {
        this(current, connector, new SnapshotStats(current));
    }

    /** Statistics and live state for the services (the exporter, the stats page). */
    public StatsView stats() {
        return stats;
    }

    /** The snapshot in force now (one volatile read). */
    public Snapshot snapshot() {
        return current.get();
    }

    public UpstreamConnector connector() {
        return connector;
    }
}
