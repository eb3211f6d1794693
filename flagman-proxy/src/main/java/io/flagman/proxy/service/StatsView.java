package io.flagman.proxy.service;

import io.flagman.proxy.stats.ProcessInfo;
import io.flagman.proxy.stats.StatRow;
import io.flagman.proxy.upstream.ServerState;
import java.util.List;
import java.util.Optional;

/**
 * What the services read and steer: the shared statistics model ({@code show stat} rows and {@code show info})
 * and the live state of servers, the same one the runtime socket and the Data Plane API's runtime endpoints
 * change. {@code DataPlane} is one.
 */
public interface StatsView {

    /** The {@code show stat} rows of the running configuration (cheap reads of counters and live state). */
    List<StatRow> statistics();

    /** {@code show info} computed from rows already read by {@link #statistics()}. */
    ProcessInfo info(List<StatRow> rows);

    /** The live state of a server of the running configuration. */
    Optional<ServerState> serverState(String backend, String server);
}
