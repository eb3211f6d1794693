package io.flagman.cluster;

import java.time.Instant;

/**
 * One line of the fleet view.
 *
 * @param version the version the node serves
 * @param wanted the version its channel wants it to serve ({@link ChannelPointer#versionFor}), 0 if unknown
 * @param lag {@code wanted - version}: 0 when in sync (negative while a rollback is being applied)
 * @param drifted the node reports {@code drifted}, or it serves another checksum than the version it should
 * @param state the node's state, or {@code gone} when its lease expired
 * @param gone its lease expired: the line shows its last report
 */
public record NodeView(String node, String channel, long version, long wanted, long lag, boolean drifted,
        String state, Health health, String lastError, Instant heartbeat, boolean gone, String api,
        String flagmanVersion) {}
