package io.flagman.proxy.health;

import io.flagman.proxy.ProxyLog;
import io.flagman.proxy.upstream.ServerState;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the checks of one server, one at a time, every {@code inter} (a fixed rate: a check that takes longer than
 * {@code inter} makes the next one start at the following tick), on one event loop. Feeds results into the
 * server's {@link HealthCounter}, publishes its health and {@link ServerState.CheckReport}, and logs transitions
 * once. Its settings are replaced on each apply; its counter survives.
 *
 * <p>Thread-safety: {@link #update} and {@link #stop} may be called from the apply thread; everything else runs on
 * {@link #loop}.
 */
final class HealthChecker {
    /** When the data plane's concurrent-check bound is reached, try again this soon (or at inter if sooner). */
    private static final long BUSY_RETRY_MILLIS = 20;

    private final HealthChecks owner;
    private final ServerState state;
    private final EventLoop loop;
    private final HealthCounter counter;
    private volatile CheckSettings settings;
    private volatile boolean stopped;
    private ScheduledFuture<?> next;
    private CheckStatus lastStatus = CheckStatus.INI;

    HealthChecker(HealthChecks owner, ServerState state, EventLoop loop, CheckSettings settings) {
        this.owner = owner;
        this.state = state;
        this.loop = loop;
        this.settings = settings;
        this.counter = new HealthCounter(settings.rise(), settings.fall());
    }

    ServerState state() {
        return state;
    }

    /** Starts checking after {@code delayMillis} (spreads the first checks over one interval, as HAProxy does). */
    void start(long delayMillis) {
        state.setHealth(ServerState.Health.UP);
        publish(report(null));
        onLoop(() -> schedule(delayMillis));
    }

    /** New settings from an apply; the counter (and so the UP/DOWN state) carries over. */
    void update(CheckSettings next) {
        settings = next;
        onLoop(() -> {
            counter.reconfigure(next.rise(), next.fall());
            publish(report(null));
        });
    }

    /** Stops checking; {@code forget} also clears the server's check report and makes it UP (check removed). */
    void stop(boolean forget) {
        stopped = true;
        if (forget) {
            // At once, so that apply() returns with the server UP; again on the loop, after any check result
            // being processed there right now (later ones see 'stopped').
            state.setLastCheck(null);
            state.setHealth(ServerState.Health.UP);
        }
        onLoop(() -> {
            if (next != null) {
                next.cancel(false);
                next = null;
            }
            if (forget) {
                state.setLastCheck(null);
                state.setHealth(ServerState.Health.UP);
            }
        });
    }

    private void onLoop(Runnable r) {
        try {
            loop.execute(r);
        } catch (RejectedExecutionException e) {
            // the data plane is shutting down: nothing is checked any more
        }
    }

    private void schedule(long delayMillis) {
        if (!stopped) {
            next = loop.schedule(this::run, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        }
    }

    private void run() {
        next = null;
        if (stopped) {
            return;
        }
        CheckSettings s = settings;
        if (!owner.tryStartCheck()) {
            schedule(Math.min(s.interMillis(), BUSY_RETRY_MILLIS));
            return;
        }
        long started = System.nanoTime();
        try {
            CheckRun.start(loop, owner.channelClass(), s, r -> {
                owner.checkDone();
                completed(s, r, started);
            });
        } catch (RuntimeException e) {
            owner.checkDone();
            completed(s, new CheckResult(CheckStatus.L4CON, 0, CheckRun.info(e), 0), started);
        }
    }

    private void completed(CheckSettings s, CheckResult r, long started) {
        if (stopped) {
            return;
        }
        if (!state.checkEnabled()) {
            // 'disable health': the result is not counted, the server keeps its state; checking goes on, so that
            // 'enable health' resumes from fresh results
            scheduleNext(started);
            return;
        }
        int before = counter.health();
        boolean wasUp = counter.up();
        CheckStatus previous = lastStatus;
        lastStatus = r.status();
        HealthCounter.Change change = counter.record(r.passed());
        if (wasUp && !r.passed()) {
            state.countFailedCheck();
        }
        publish(report(r));
        switch (change) {
            case WENT_DOWN -> {
                state.setHealth(ServerState.Health.DOWN);
                state.pool().closeAll();
                owner.reportDown(s, state, r);
            }
            case WENT_UP -> {
                state.setHealth(ServerState.Health.UP);
                owner.reportUp(s, r);
            }
            case NONE -> {
                if (s.logHealthChecks() && (before != counter.health() || previous != r.status())) {
                    logCheck(s, r);
                }
            }
        }
        scheduleNext(started);
    }

    private void scheduleNext(long started) {
        long inter = settings.interMillis();
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        schedule(inter - elapsed % inter);
    }

    /** {@code option log-health-checks}: HAProxy's line for a check that changed the counter or the status. */
    private void logCheck(CheckSettings s, CheckResult r) {
        String msg = "Health check for server " + s.serverId() + (r.passed() ? " succeeded, " : " failed, ")
                + r.describe() + ", status: " + counterStatus() + ".";
        owner.log(s, r.passed() ? ProxyLog.NOTICE : ProxyLog.WARNING, msg, false);
    }

    private String counterStatus() {
        String st = counter.state();
        if (st.equals("UP")) {
            return settings.fall() + "/" + settings.fall() + " UP";
        }
        if (st.equals("DOWN")) {
            return "0/" + settings.rise() + " DOWN";
        }
        return st.substring(st.indexOf(' ') + 1) + (st.startsWith("UP") ? " UP" : " DOWN");
    }

    /** The check's report and health counter, for the stats ({@code check_health}). On the checker's loop. */
    private void publish(ServerState.CheckReport report) {
        state.setCheckHealth(counter.health());
        state.setLastCheck(report);
    }

    private ServerState.CheckReport report(CheckResult r) {
        if (r == null) {
            CheckStatus st = lastStatus;
            ServerState.CheckReport old = state.lastCheck();
            if (old != null && st != CheckStatus.INI) {
                return new ServerState.CheckReport(old.status(), old.description(), old.code(), old.info(),
                        old.durationMillis(), counter.state());
            }
            return new ServerState.CheckReport(st.name(), st.description, 0, null, -1, counter.state());
        }
        return new ServerState.CheckReport(r.status().name(), r.status().description, r.code(), r.info(),
                r.durationMillis(), counter.state());
    }
}
