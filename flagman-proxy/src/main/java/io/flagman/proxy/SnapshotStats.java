package io.flagman.proxy;

import io.flagman.proxy.service.StatsView;
import io.flagman.proxy.stats.ProcessInfo;
import io.flagman.proxy.stats.StatRow;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The statistics of a published snapshot without a data plane around it (one thread, started now). */
final class SnapshotStats implements StatsView {
    private final AtomicReference<Snapshot> current;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();

    SnapshotStats(AtomicReference<Snapshot> current) {
        this.current = current;
    }

    @Override
    public List<StatRow> statistics() {
        return StatsCollector.rows(current.get(), frontend -> java.util.List.of()); // no listeners without a data plane
    }

    @Override
    public ProcessInfo info(List<StatRow> rows) {
        Snapshot s = current.get();
        return InfoCollector.info(new InfoCollector.Process(1, startMillis, startNanos, 0,
                s.config().global().maxconn(), 0, false), rows, System.nanoTime());
    }

    @Override
    public Optional<ServerState> serverState(String backend, String server) {
        BackendRuntime b = current.get().backend(backend);
        if (b == null) {
            return Optional.empty();
        }
        return b.servers().stream().filter(e -> e.name().equals(server)).map(ServerEndpoint::state).findFirst();
    }
}
