package io.flagman.proxy.health;

import io.flagman.config.model.Backend;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.ProxyLog;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The health checks of a data plane: one {@link HealthChecker} per server with {@code check}, keyed by the
 * server's live {@link ServerState}. {@link #reconcile} runs after each apply's swap: a server that survives keeps
 * its checker and counters (no flap), a removed server's checker stops, a new one's starts (UP, going DOWN at the
 * first failure, as in HAProxy), a server that lost {@code check} is UP again.
 *
 * <p>Transitions are logged once, as HAProxy does, to the backend's log targets ({@code Server b/s is DOWN,
 * reason: …} at severity alert, {@code … is UP …} at notice, {@code backend b has no server available!} at emerg)
 * and to the console ({@code [WARNING]}/{@code [ALERT]} lines, HAProxy's foreground output).
 *
 * <p>At most {@code maxConcurrent} checks are in flight at once over the whole data plane; a checker that finds
 * the bound reached tries again shortly. Thread-safety: {@link #reconcile} and {@link #close} are synchronized
 * (the apply thread); checkers run on the event loops.
 */
public final class HealthChecks implements AutoCloseable {
    public static final int DEFAULT_MAX_CONCURRENT = 512;

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelClass;
    private final Consumer<String> console;
    private final int maxConcurrent;
    private final AtomicInteger running = new AtomicInteger();
    private final Map<ServerState, HealthChecker> checkers = new IdentityHashMap<>();
    private volatile Snapshot snapshot;
    private boolean closed;

    /**
     * @param group the data plane's worker loops (each checker is pinned to one)
     * @param console where HAProxy's foreground notices go (stderr in production); must not block
     */
    public HealthChecks(EventLoopGroup group, Class<? extends Channel> channelClass, Consumer<String> console,
            int maxConcurrent) {
        this.group = group;
        this.channelClass = channelClass;
        this.console = console;
        this.maxConcurrent = Math.max(1, maxConcurrent);
    }

    /** Starts, updates and stops checkers to match {@code next} (called after it became the running snapshot). */
    public synchronized void reconcile(Snapshot next) {
        if (closed) {
            return;
        }
        snapshot = next;
        Map<ServerState, HealthChecker> keep = new IdentityHashMap<>();
        for (BackendRuntime br : next.backends().values()) {
            Backend model = next.config().backend(br.name()).orElse(null);
            if (model == null) {
                continue;
            }
            for (ServerEndpoint e : br.servers()) {
                if (!e.server().check()) {
                    continue;
                }
                CheckSettings s = CheckSettings.of(e, br, model);
                HealthChecker c = checkers.remove(e.state());
                if (c != null) {
                    c.update(s);
                } else {
                    c = new HealthChecker(this, e.state(), group.next(), s);
                    c.start(ThreadLocalRandom.current().nextLong(s.interMillis()));
                }
                keep.put(e.state(), c);
            }
        }
        for (HealthChecker gone : checkers.values()) {
            gone.stop(true);
        }
        checkers.clear();
        checkers.putAll(keep);
    }

    /** Number of servers being checked. */
    public synchronized int size() {
        return checkers.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (HealthChecker c : checkers.values()) {
            c.stop(false);
        }
        checkers.clear();
    }

    Class<? extends Channel> channelClass() {
        return channelClass;
    }

    boolean tryStartCheck() {
        for (;;) {
            int n = running.get();
            if (n >= maxConcurrent) {
                return false;
            }
            if (running.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void checkDone() {
        running.decrementAndGet();
    }

    void reportDown(CheckSettings s, ServerState state, CheckResult r) {
        int[] n = available(s.backend());
        String msg = "Server " + s.serverId() + " is DOWN, " + r.describe() + ". " + n[0] + " active and " + n[1]
                + " backup servers left. " + state.activeConnections() + " sessions active, 0 requeued, "
                + s.backend().queue().size() + " remaining in queue.";
        log(s, ProxyLog.ALERT, msg, true);
        if (n[0] + n[1] == 0) {
            console.accept("[ALERT]    (" + ProcessHandle.current().pid() + ") : backend '" + s.backend().name()
                    + "' has no server available!");
            ProxyLog pl = s.backend().log();
            if (pl != null) {
                pl.log(ProxyLog.EMERG, "backend " + s.backend().name() + " has no server available!");
            }
        }
    }

    void reportUp(CheckSettings s, CheckResult r) {
        int[] n = available(s.backend());
        String msg = "Server " + s.serverId() + " is UP, " + r.describe() + ". " + n[0] + " active and " + n[1]
                + " backup servers online. 0 sessions requeued, " + s.backend().queue().size() + " total in queue.";
        log(s, ProxyLog.NOTICE, msg, true);
    }

    void log(CheckSettings s, int severity, String msg, boolean toConsole) {
        if (toConsole) {
            console.accept("[WARNING]  (" + ProcessHandle.current().pid() + ") : " + msg);
        }
        ProxyLog pl = s.backend().log();
        if (pl != null) {
            pl.log(severity, msg);
        }
    }

    /** {active, backup} servers of the backend (as the running snapshot has it) that are UP and ready. */
    private int[] available(BackendRuntime fallback) {
        Snapshot snap = snapshot;
        BackendRuntime b = snap == null ? null : snap.backend(fallback.name());
        if (b == null) {
            b = fallback;
        }
        int active = 0;
        int backup = 0;
        for (ServerEndpoint e : b.servers()) {
            if (e.available()) {
                if (e.backup()) {
                    backup++;
                } else {
                    active++;
                }
            }
        }
        return new int[] {active, backup};
    }
}
