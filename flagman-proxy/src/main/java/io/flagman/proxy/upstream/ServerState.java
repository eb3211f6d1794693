package io.flagman.proxy.upstream;

import io.flagman.config.model.Server;
import java.net.InetSocketAddress;
import io.flagman.proxy.stats.Counters;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live state of one server, keyed by backend/server name in {@link ServerStateRegistry}. It outlives
 * configuration snapshots: each snapshot's server endpoint reads it, so a runtime change (admin state, weight,
 * address) affects the next pick on every event loop.
 *
 * <p>Thread-safety: every field is volatile or atomic; any thread may read or change it. The statistics
 * {@link #counters()} are kept per event loop ({@link Counters}); the check statistics are written by the server's
 * checker only. The idle connection pool is partitioned per event loop and each partition is touched only by its
 * loop.
 */
public final class ServerState {
    /** HAProxy's administrative states: {@code set server … state ready|drain|maint}. */
    public enum AdminState {
        READY,
        DRAIN,
        MAINT
    }

    /** Operational health, driven by health checks (UP until checks exist and say otherwise). */
    public enum Health {
        UP,
        DOWN
    }

    /**
     * The last health check of a server with {@code check}, as HAProxy's stats show it.
     *
     * @param status HAProxy's short check status ({@code INI}, {@code L4OK}, {@code L4CON}, {@code L4TOUT},
     *     {@code L6OK}, {@code L6RSP}, {@code L6TOUT}, {@code L7OK}, {@code L7STS}, {@code L7RSP}, {@code L7TOUT})
     * @param description the long form ({@code Layer4 connection problem})
     * @param code the HTTP status of a layer-7 check, else 0
     * @param info details ({@code Connection refused}, the reason phrase), or null
     * @param durationMillis how long the check took, -1 before the first one
     * @param state {@code UP}, {@code UP 1/3} (going down), {@code DOWN}, {@code DOWN 1/2} (going up)
     */
    public record CheckReport(String status, String description, int code, String info, long durationMillis,
            String state) {}

    private final String backend;
    private final String name;
    private volatile AdminState adminState;
    private volatile Health health = Health.UP;
    private volatile int weightOverride = -1;
    private volatile InetSocketAddress addressOverride;
    private volatile boolean configuredDisabled;
    private volatile CheckReport lastCheck;
    private volatile boolean checkEnabled = true;
    private volatile boolean beenInMaintenance;
    private final AtomicInteger active = new AtomicInteger();
    // The highest 'active' seen since the last clear: written racily (a lost update loses one maximum), read rarely.
    private volatile int maxActive;
    private final Counters counters = new Counters();
    // Check statistics: written by the server's checker (one thread at a time), read by anyone.
    private volatile long failedChecks;
    private volatile long downTransitions;
    private volatile int checkHealth;
    private volatile long lastChangeNanos = System.nanoTime();
    private volatile long downSinceNanos = -1;
    private volatile long downtimeNanos;
    final ConnectionPool pool = new ConnectionPool();

    ServerState(String backend, Server server) {
        this.backend = backend;
        this.name = server.name();
        this.configuredDisabled = server.disabled();
        this.adminState = server.disabled() ? AdminState.MAINT : AdminState.READY;
        this.beenInMaintenance = server.disabled();
        if (server.disabled()) {
            downSinceNanos = lastChangeNanos;
        }
    }

    /** Called by the registry when a new configuration mentions this server: a changed {@code disabled} wins. */
    void reconfigure(Server server) {
        if (server.disabled() != configuredDisabled) {
            configuredDisabled = server.disabled();
            setAdminState(server.disabled() ? AdminState.MAINT : AdminState.READY);
        }
    }

    public String backend() {
        return backend;
    }

    public String name() {
        return name;
    }

    public AdminState adminState() {
        return adminState;
    }

    public void setAdminState(AdminState state) {
        boolean wasDown = down();
        this.adminState = java.util.Objects.requireNonNull(state, "state");
        if (state == AdminState.MAINT) {
            beenInMaintenance = true;
            pool.closeAll();
        }
        changed(wasDown);
    }

    /** Stopped for traffic: in maintenance or DOWN by its checks. */
    private boolean down() {
        return adminState == AdminState.MAINT || health == Health.DOWN;
    }

    /** After a change of admin state or health: the last change and the downtime follow whether it is down. */
    private synchronized void changed(boolean wasDown) {
        boolean isDown = down();
        if (wasDown == isDown) {
            return;
        }
        long now = System.nanoTime();
        lastChangeNanos = now;
        if (isDown) {
            downSinceNanos = now;
        } else if (downSinceNanos >= 0) {
            downtimeNanos += now - downSinceNanos;
            downSinceNanos = -1;
        }
    }

    /** The checks' last verdict (frozen while they are disabled, {@code disable health}, as in HAProxy). */
    public Health health() {
        return health;
    }

    public void setHealth(Health health) {
        boolean wasDown = down();
        Health before = this.health;
        this.health = java.util.Objects.requireNonNull(health, "health");
        if (before == Health.UP && health == Health.DOWN) {
            downTransitions++;
        }
        changed(wasDown);
    }

    /** False after {@code disable health}: check results are ignored, the server keeps the state it had. */
    public boolean checkEnabled() {
        return checkEnabled;
    }

    public void setCheckEnabled(boolean enabled) {
        this.checkEnabled = enabled;
    }

    /** True once the server has been in maintenance (HAProxy then zeroes the health of a server without checks). */
    public boolean beenInMaintenance() {
        return beenInMaintenance;
    }

    /** True when the configuration says {@code disabled} (HAProxy's CMAINT). */
    public boolean configuredDisabled() {
        return configuredDisabled;
    }

    /** Not in maintenance and healthy: HAProxy's operational state RUNNING (else STOPPED). */
    public boolean running() {
        return !down();
    }

    // ---- check statistics (written by the server's checker)

    /** A check failed while the server was UP (HAProxy's {@code chkfail}). */
    public void countFailedCheck() {
        failedChecks++;
    }

    /** {@code chkfail}: checks that failed while the server was UP. */
    public long failedChecks() {
        return failedChecks;
    }

    /** {@code chkdown}: UP to DOWN transitions. */
    public long downTransitions() {
        return downTransitions;
    }

    /** The check's health counter, 0..rise+fall-1 ({@code check_health}). */
    public int checkHealth() {
        return checkHealth;
    }

    public void setCheckHealth(int health) {
        this.checkHealth = health;
    }

    /** {@code System.nanoTime()} of the last change between up and down (maintenance counts as down). */
    public long lastChangeNanos() {
        return lastChangeNanos;
    }

    /** Time spent down in total, up to {@code nowNanos} ({@code downtime}). */
    public long downtimeNanos(long nowNanos) {
        long since = downSinceNanos;
        return downtimeNanos + (since >= 0 ? Math.max(0, nowNanos - since) : 0);
    }

    /** The per-event-loop statistics of this server. */
    public Counters counters() {
        return counters;
    }

    /** {@code smax}: the most requests (connections in TCP) served at once since the last clear. */
    public int maxActive() {
        return Math.max(maxActive, active.get());
    }

    /** {@code clear counters [all]}: maxima, and with {@code all} every counter, check statistics included. */
    public void clearCounters(boolean all) {
        counters.clear(all);
        maxActive = active.get();
        if (all) {
            failedChecks = 0;
            downTransitions = 0;
            synchronized (this) {
                downtimeNanos = 0;
                if (downSinceNanos >= 0) {
                    downSinceNanos = System.nanoTime();
                }
            }
        }
    }

    /** The last health check, or null when the server has no {@code check} (written by its checker only). */
    public CheckReport lastCheck() {
        return lastCheck;
    }

    public void setLastCheck(CheckReport report) {
        this.lastCheck = report;
    }

    /** The runtime weight set by {@code set server … weight}, or -1 when the configured weight applies. */
    public int weightOverride() {
        return weightOverride;
    }

    public void setWeightOverride(int weight) {
        if (weight < -1 || weight > 256) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 0..256, or -1 to clear)");
        }
        this.weightOverride = weight;
    }

    /** The runtime address set by {@code set server … addr}, or null when the configured one applies. */
    public InetSocketAddress addressOverride() {
        return addressOverride;
    }

    public void setAddressOverride(InetSocketAddress address) {
        this.addressOverride = address;
        pool.closeAll();
    }

    /** Requests (HTTP) or connections (TCP) this server serves right now. */
    public int activeConnections() {
        return active.get();
    }

    /** Requests (HTTP) or connections (TCP) this server finished serving ({@code stot}). */
    public long totalRequests() {
        return count(Counters.SESSIONS);
    }

    /** Connections opened to this server ({@code connect}). */
    public long totalConnections() {
        return count(Counters.CONNECT);
    }

    public long connectErrors() {
        return count(Counters.CONN_ERRORS);
    }

    public long responseErrors() {
        return count(Counters.RESP_ERRORS);
    }

    public long retries() {
        return count(Counters.RETRIES);
    }

    public long redispatches() {
        return count(Counters.REDISPATCHES);
    }

    public long bytesIn() {
        return count(Counters.BYTES_IN);
    }

    public long bytesOut() {
        return count(Counters.BYTES_OUT);
    }

    private long count(int counter) {
        return counters.read(System.nanoTime()).count(counter);
    }

    // ---- data-plane side (any event loop) ----

    /** Takes a slot when below {@code maxconn} (0 = unlimited); false when full. */
    public boolean tryAcquire(int maxconn) {
        if (maxconn <= 0) {
            seen(active.incrementAndGet());
            return true;
        }
        for (;;) {
            int n = active.get();
            if (n >= maxconn) {
                return false;
            }
            if (active.compareAndSet(n, n + 1)) {
                seen(n + 1);
                return true;
            }
        }
    }

    private void seen(int n) {
        if (n > maxActive) {
            maxActive = n;
        }
    }

    public void release() {
        active.decrementAndGet();
    }

    /** A connection to this server was opened (on the calling loop's counters). */
    public void countConnection() {
        counters.here().inc(Counters.CONNECT);
    }

    public void countConnectError() {
        counters.here().inc(Counters.CONN_ERRORS);
    }

    public void countResponseError() {
        counters.here().inc(Counters.RESP_ERRORS);
    }

    public void countRetry() {
        counters.here().inc(Counters.RETRIES);
    }

    public void countRedispatch() {
        counters.here().inc(Counters.REDISPATCHES);
    }

    public ConnectionPool pool() {
        return pool;
    }

    @Override
    public String toString() {
        return backend + "/" + name + " " + adminState + " " + health + " active=" + active.get();
    }
}
