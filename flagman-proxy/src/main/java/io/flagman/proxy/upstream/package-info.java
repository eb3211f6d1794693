/**
 * Servers as the data plane sees them: live {@link io.flagman.proxy.upstream.ServerState} (admin state, health,
 * weight, counters) that outlives snapshots, per-event-loop connection pools, the backend queue for
 * {@code maxconn}, and the connector that opens upstream connections on the client's event loop.
 */
package io.flagman.proxy.upstream;
