package io.flagman.proxy;

import io.flagman.proxy.upstream.UpstreamConnector;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every connection handler shares for the life of the data plane: the one published snapshot (read once
 * per request or connection) and the upstream connector.
 */
public final class ProxyContext {
    private final AtomicReference<Snapshot> current;
    private final UpstreamConnector connector;

    ProxyContext(AtomicReference<Snapshot> current, UpstreamConnector connector) {
        this.current = current;
        this.connector = connector;
    }

    /** The snapshot in force now (one volatile read). */
    public Snapshot snapshot() {
        return current.get();
    }

    public UpstreamConnector connector() {
        return connector;
    }
}
