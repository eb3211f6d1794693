package io.flagman.proxy.upstream;

import io.flagman.config.model.Server;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live state of one server, keyed by backend/server name in {@link ServerStateRegistry}. It outlives
 * configuration snapshots: each snapshot's server endpoint reads it, so a runtime change (admin state, weight,
 * address) affects the next pick on every event loop.
 *
 * <p>Thread-safety: every field is volatile, atomic or a {@link LongAdder}; any thread may read or change it.
 * The idle connection pool is partitioned per event loop and each partition is touched only by its loop.
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
    // System.nanoTime() of the last change of the operational state (running / stopped), for show servers state.
    private volatile long lastChangeNanos = System.nanoTime();
    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder totalRequests = new LongAdder();
    private final LongAdder totalConnections = new LongAdder();
    private final LongAdder connectErrors = new LongAdder();
    private final LongAdder responseErrors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder redispatches = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    final ConnectionPool pool = new ConnectionPool();

    ServerState(String backend, Server server) {
        this.backend = backend;
        this.name = server.name();
        this.configuredDisabled = server.disabled();
        this.adminState = server.disabled() ? AdminState.MAINT : AdminState.READY;
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
        boolean wasRunning = running();
        this.adminState = java.util.Objects.requireNonNull(state, "state");
        if (state == AdminState.MAINT) {
            pool.closeAll();
        }
        noteChange(wasRunning);
    }

    /** The health the balancers see: the checks' verdict, or UP while checks are disabled ({@code disable health}). */
    public Health health() {
        return checkEnabled ? health : Health.UP;
    }

    /** What the health checks last concluded, whether or not they are enabled. */
    public Health checkedHealth() {
        return health;
    }

    public void setHealth(Health health) {
        boolean wasRunning = running();
        this.health = java.util.Objects.requireNonNull(health, "health");
        noteChange(wasRunning);
    }

    /** False after {@code disable health}: the checks go on but their verdict is ignored (the server counts as UP). */
    public boolean checkEnabled() {
        return checkEnabled;
    }

    public void setCheckEnabled(boolean enabled) {
        boolean wasRunning = running();
        this.checkEnabled = enabled;
        noteChange(wasRunning);
    }

    /** True when the configuration says {@code disabled} (HAProxy's CMAINT). */
    public boolean configuredDisabled() {
        return configuredDisabled;
    }

    /** Not in maintenance and healthy: HAProxy's operational state RUNNING (else STOPPED). */
    public boolean running() {
        return adminState != AdminState.MAINT && health() == Health.UP;
    }

    /** {@link System#nanoTime()} of the last change between running and stopped (or of the state's creation). */
    public long lastChangeNanos() {
        return lastChangeNanos;
    }

    private void noteChange(boolean wasRunning) {
        if (wasRunning != running()) {
            lastChangeNanos = System.nanoTime();
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

    public long totalRequests() {
        return totalRequests.sum();
    }

    public long totalConnections() {
        return totalConnections.sum();
    }

    public long connectErrors() {
        return connectErrors.sum();
    }

    public long responseErrors() {
        return responseErrors.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long redispatches() {
        return redispatches.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    // ---- data-plane side (any event loop) ----

    /** Takes a slot when below {@code maxconn} (0 = unlimited); false when full. */
    public boolean tryAcquire(int maxconn) {
        if (maxconn <= 0) {
            active.incrementAndGet();
            totalRequests.increment();
            return true;
        }
        for (;;) {
            int n = active.get();
            if (n >= maxconn) {
                return false;
            }
            if (active.compareAndSet(n, n + 1)) {
                totalRequests.increment();
                return true;
            }
        }
    }

    public void release() {
        active.decrementAndGet();
    }

    public void countConnection() {
        totalConnections.increment();
    }

    public void countConnectError() {
        connectErrors.increment();
    }

    public void countResponseError() {
        responseErrors.increment();
    }

    public void countRetry() {
        retries.increment();
    }

    public void countRedispatch() {
        redispatches.increment();
    }

    public void addBytes(long in, long out) {
        if (in != 0) {
            bytesIn.add(in);
        }
        if (out != 0) {
            bytesOut.add(out);
        }
    }

    public ConnectionPool pool() {
        return pool;
    }

    @Override
    public String toString() {
        return backend + "/" + name + " " + adminState + " " + health + " active=" + active.get();
    }
}
