package io.flagman.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * A channel's pointer ({@code <p>/channels/<name>}): the version its nodes serve. Moved only by
 * compare-and-set on {@code modRevision}.
 *
 * @param channel the channel's name
 * @param version the version every node of the channel serves (canary nodes aside)
 * @param previous the version before the last move (0: none)
 * @param canary canary nodes and their version, or null
 * @param confirm the commit-confirmed window, or null
 * @param movedAt when the pointer last moved
 * @param movedBy who moved it
 * @param modRevision etcd's mod revision of the key as read (not stored in the value; 0 when not read)
 */
public record ChannelPointer(String channel, long version, long previous, Canary canary, Confirm confirm,
        Instant movedAt, String movedBy, @JsonIgnore long modRevision) {

    /** The version {@code node} must serve: the canary's when it is one of the canary nodes. */
    public long versionFor(String node) {
        return canary != null && canary.nodes().contains(node) ? canary.version() : version;
    }

    /** This pointer as read at {@code revision}. */
    public ChannelPointer withModRevision(long revision) {
        return new ChannelPointer(channel, version, previous, canary, confirm, movedAt, movedBy, revision);
    }
}
