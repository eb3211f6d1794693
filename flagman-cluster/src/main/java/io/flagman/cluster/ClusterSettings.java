package io.flagman.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Where the fleet's etcd is and who this process is in it.
 *
 * @param endpoints etcd client URLs
 * @param prefix key prefix of this fleet, {@link #DEFAULT_PREFIX} unless set
 * @param node this node's name (null for the command line tools)
 * @param channel the channel this node follows (null for the command line tools)
 * @param writableChannels channels that take direct configuration writes (default {@code staging})
 * @param leaseTtl time to live of the node's lease
 */
public record ClusterSettings(List<URI> endpoints, String prefix, String node, String channel,
        Set<String> writableChannels, Duration leaseTtl) {

    /** The prefix used when none is given. */
    public static final String DEFAULT_PREFIX = "/flagman/default";
    /** The node lease's default time to live. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);

    public ClusterSettings {
        endpoints = List.copyOf(endpoints);
        prefix = prefix == null || prefix.isBlank() ? DEFAULT_PREFIX : prefix;
        writableChannels = writableChannels == null ? Set.of("staging") : Set.copyOf(writableChannels);
        leaseTtl = leaseTtl == null ? DEFAULT_LEASE_TTL : leaseTtl;
    }

    /** Parses {@code http://a:2379,http://b:2379} into URIs. */
    public static List<URI> parseEndpoints(String csv) {
        return java.util.Arrays.stream(csv.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(URI::create)
                .toList();
    }
}
