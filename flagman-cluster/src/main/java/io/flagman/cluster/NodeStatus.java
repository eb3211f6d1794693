package io.flagman.cluster;

import java.time.Instant;

/**
 * What a node reports about itself ({@code <p>/nodes/<name>}, under its lease).
 *
 * @param version the version it serves
 * @param checksum checksum of the configuration it serves (same rule as {@link VersionInfo#checksum()})
 * @param state {@code ok}, {@code applying}, {@code error}, {@code stale} or {@code drifted}
 * @param lastError the last apply/validation error, or null
 * @param api the node's Data Plane API address {@code host:port}, or null
 */
public record NodeStatus(String node, String channel, long version, String checksum, String state,
        String lastError, Health health, String flagmanVersion, Instant started, Instant heartbeat, String api) {

    /** Serving its channel's version. */
    public static final String OK = "ok";
    /** Fetching/applying a new version. */
    public static final String APPLYING = "applying";
    /** The last version failed validation or apply; still serving the one before. */
    public static final String ERROR = "error";
    /** Started or running while etcd was unreachable; may be behind. */
    public static final String STALE = "stale";
    /** Serving something other than its channel's version (e.g. a hand edit). */
    public static final String DRIFTED = "drifted";
}
