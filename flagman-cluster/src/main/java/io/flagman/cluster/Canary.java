package io.flagman.cluster;

import java.util.List;

/** A canary on a channel: {@code nodes} follow {@code version}, the channel's other nodes its main version. */
public record Canary(long version, List<String> nodes) {
    public Canary {
        nodes = List.copyOf(nodes);
    }
}
