package io.flagman.proxy.stats;

import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;

/** A point-in-time view of one server, for the API and the runtime socket ({@code show stat}). */
public record ServerStats(
        String backend,
        String server,
        String address,
        ServerState.AdminState adminState,
        ServerState.Health health,
        int weight,
        int activeConnections,
        int maxconn,
        long totalRequests,
        long totalConnections,
        long connectErrors,
        long responseErrors,
        long retries,
        long redispatches,
        long bytesIn,
        long bytesOut,
        int idleConnections,
        int backendQueue) {

    public static ServerStats of(ServerEndpoint e, int queue) {
        ServerState s = e.state();
        return new ServerStats(s.backend(), s.name(), e.address().getHostString() + ":" + e.address().getPort(),
                s.adminState(), s.health(), e.weight(), s.activeConnections(), e.maxconn(), s.totalRequests(),
                s.totalConnections(), s.connectErrors(), s.responseErrors(), s.retries(), s.redispatches(),
                s.bytesIn(), s.bytesOut(), s.pool().idleCount(), queue);
    }
}
