package io.flagman.cluster;

import io.flagman.control.RuntimeServers;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * The node side of {@link FleetActions}: watches its channel's actions and executes each one once on this node's
 * runtime ({@link RuntimeServers}, the same port the Data Plane API's runtime endpoints use), then writes its
 * answer. An action posted before the runner started, or already answered by this node (a watch restarted after
 * etcd came back delivers it again), is not executed again.
 */
public final class ActionRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ActionRunner.class.getName());

    private final EtcdStore store;
    private final String node;
    private final RuntimeServers runtime;
    private final Instant started;
    private final StoreWatch watch;
    /** Actions run here, one at a time, off the store's watch thread (a store call may wait for its deadline). */
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "flagman-fleet-actions");
        t.setDaemon(true);
        return t;
    });

    private ActionRunner(EtcdStore store, String node, String channel, RuntimeServers runtime, Clock clock) {
        this.store = store;
        this.node = node;
        this.runtime = runtime;
        this.started = clock.instant();
        StoreResult<Long> now = store.revision();
        this.watch = store.watchActions(channel, now.isOk() ? now.value() : 0,
                a -> executor.execute(() -> execute(a)));
    }

    /** Starts executing {@code channel}'s actions on {@code runtime} as node {@code node}. */
    public static ActionRunner start(EtcdStore store, String node, String channel, RuntimeServers runtime,
            Clock clock) {
        return new ActionRunner(store, node, channel, runtime, clock);
    }

    private void execute(FleetAction action) {
        if (action.time() != null && action.time().isBefore(started)) {
            return;
        }
        StoreResult<java.util.List<ActionResult>> done = store.results(action.id());
        if (done.isOk() && done.value().stream().anyMatch(r -> node.equals(r.node()))) {
            return;
        }
        ActionResult result = apply(node, runtime, action);
        StoreResult<ActionResult> put = store.putResult(action.id(), result);
        if (!put.isOk()) {
            LOG.warning("fleet action " + action.id() + ": executed here, but its answer could not be stored: "
                    + put.message());
        }
    }

    /** Executes {@code action} on {@code runtime}; the answer says what happened, in the Runtime API's words. */
    static ActionResult apply(String node, RuntimeServers runtime, FleetAction action) {
        return switch (ServerCommand.of(action)) {
            case ServerCommand.Refused r -> new ActionResult(node, false, r.message());
            case ServerCommand.SetState s -> {
                Optional<RuntimeServers.State> before = runtime.server(s.backend(), s.server());
                if (before.isEmpty() || !runtime.setAdminState(s.backend(), s.server(), s.state())) {
                    yield new ActionResult(node, false, "No such server " + s.backend() + "/" + s.server()
                            + " on this node.");
                }
                String was = before.get().adminState().name().toLowerCase(Locale.ROOT);
                yield new ActionResult(node, true, s.backend() + "/" + s.server() + " state "
                        + s.state().name().toLowerCase(Locale.ROOT) + " (was " + was + ")");
            }
        };
    }

    @Override
    public void close() {
        watch.close();
        executor.shutdownNow();
    }
}
