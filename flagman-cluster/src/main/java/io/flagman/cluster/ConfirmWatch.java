package io.flagman.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Commit-confirmed on one node (docs/cluster.md "Commit-confirmed"). While its channel's pointer carries a
 * {@link Confirm} window, the node compares its health with its health when it first saw the window (before it
 * applied the promoted version), every {@link #SAMPLE_EVERY}:
 * <ul>
 *   <li>a server DOWN now that was not DOWN then (so: UP then, or added by the promoted version and never UP);</li>
 *   <li>or, once at least {@link #MIN_RESPONSES} responses were counted since then, a share of 5xx responses above
 *       the window's {@code maxHttp5xxRate} ({@link Confirm#DEFAULT_MAX_HTTP5XX_RATE}, 5 %, unless given).</li>
 * </ul>
 * The first node that sees a regression moves the pointer back to {@code rollbackTo} by compare-and-set (history
 * "auto-rollback", the reason naming the server or the rate and the node); when the window is over, the first
 * node that sees it clears {@code confirm} (history "confirmed"). A node judges only while it serves the promoted
 * version (one that failed to apply it has nothing to say about it; with a canary, only the canary nodes judge).
 * A lost compare-and-set means another node or a user moved the pointer first: the watch follows the new pointer.
 * Thread-safe.
 */
public final class ConfirmWatch implements AutoCloseable {
    /** How often health is compared during a window. */
    public static final Duration SAMPLE_EVERY = Duration.ofMillis(200);
    /** The 5xx rate is judged only over at least this many responses. */
    public static final long MIN_RESPONSES = 20;

    private static final Logger LOG = Logger.getLogger(ConfirmWatch.class.getName());

    private final EtcdStore store;
    private final String node;
    private final Supplier<Health> health;
    private final LongSupplier served;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private Window window;

    /** The window being watched: its pointer and the health when this node first saw it. */
    private record Window(ChannelPointer pointer, Health baseline) {}

    /**
     * @param health the node's health now (the node agent's {@code NodeHealth::read}, over the data plane's
     *     statistics)
     * @param served the version this node serves now
     */
    public ConfirmWatch(EtcdStore store, String node, Supplier<Health> health, LongSupplier served, Clock clock) {
        this.store = store;
        this.node = node;
        this.health = health;
        this.served = served;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "flagman-confirm");
            t.setDaemon(true);
            return t;
        });
        long every = SAMPLE_EVERY.toMillis();
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The channel's pointer changed (null: deleted). Call it before applying the version it names, so that the
     * baseline is the health of the version being replaced.
     */
    public synchronized void pointer(ChannelPointer p) {
        if (p == null || p.confirm() == null) {
            window = null;
            return;
        }
        if (window != null && sameWindow(window.pointer(), p)) {
            window = new Window(p, window.baseline()); // re-read (reconnect): keep the baseline
            return;
        }
        window = new Window(p, health.get());
    }

    private static boolean sameWindow(ChannelPointer a, ChannelPointer b) {
        return a.version() == b.version() && a.confirm().equals(b.confirm());
    }

    /** One comparison; on the timer thread. */
    void tick() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warning("commit-confirmed check failed: " + e);
        }
    }

    private synchronized void check() {
        Window w = window;
        if (w == null) {
            return;
        }
        ChannelPointer p = w.pointer();
        Instant now = clock.instant();
        if (!now.isBefore(p.confirm().until())) {
            ChannelPointer confirmed = new ChannelPointer(p.channel(), p.version(), p.previous(), p.canary(), null,
                    p.movedAt(), p.movedBy(), 0);
            HistoryEntry entry = new HistoryEntry(now, p.channel(), p.version(), p.version(), "confirmed",
                    "node " + node, "no regression on any node until " + p.confirm().until(), false);
            settle(w, store.move(confirmed, p.modRevision(), entry), "confirmed version " + p.version());
            return;
        }
        // with a canary, only the canary nodes run the promoted version: the others have nothing to say about it
        long promoted = p.canary() != null ? p.canary().version() : p.version();
        if (p.canary() != null && !p.canary().nodes().contains(node) || served.getAsLong() != promoted) {
            return;
        }
        String reason = regression(w.baseline(), health.get(), p.confirm().maxHttp5xxRate());
        if (reason == null) {
            return;
        }
        long back = p.confirm().rollbackTo();
        ChannelPointer rolled = new ChannelPointer(p.channel(), back, promoted, null, null, now, "node " + node, 0);
        HistoryEntry entry = new HistoryEntry(now, p.channel(), promoted, back, "auto-rollback", "node " + node,
                "version " + promoted + " on node " + node + ": " + reason, false);
        settle(w, store.move(rolled, p.modRevision(), entry), "rolled channel '" + p.channel() + "' back to version "
                + back + ": " + reason);
    }

    /** After a move: done (the watch brings the new pointer), lost (another node moved first), or retried. */
    private void settle(Window w, StoreResult<ChannelPointer> moved, String what) {
        switch (moved) {
            case StoreResult.Ok<ChannelPointer> ok -> {
                LOG.info("commit-confirmed: " + what);
                if (window == w) {
                    window = null;
                }
            }
            case StoreResult.Conflict<ChannelPointer> c -> {
                if (window == w) {
                    window = null;
                }
            }
            case StoreResult.Unavailable<ChannelPointer> u -> { } // next tick tries again
        }
    }

    /** Why {@code now} is a regression against {@code before}, or null. */
    static String regression(Health before, Health now, double maxRate) {
        List<String> down = new ArrayList<>();
        for (String s : now.down()) {
            if (!before.down().contains(s)) {
                down.add(s);
            }
        }
        if (!down.isEmpty()) {
            return (down.size() == 1 ? "server " + down.get(0) + " went" : "servers " + String.join(", ", down)
                    + " went") + " DOWN (not DOWN when the window opened)";
        }
        long requests = now.requests() - before.requests();
        long errors = now.http5xx() - before.http5xx();
        double bound = maxRate > 0 ? maxRate : Confirm.DEFAULT_MAX_HTTP5XX_RATE;
        if (requests >= MIN_RESPONSES && errors >= 0 && (double) errors / requests > bound) {
            return String.format(Locale.ROOT, "5xx rate %.1f%% (%d of %d responses since the window opened) is"
                    + " above %.1f%%", 100.0 * errors / requests, errors, requests, 100 * bound);
        }
        return null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
