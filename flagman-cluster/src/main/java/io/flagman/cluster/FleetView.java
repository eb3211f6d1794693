package io.flagman.cluster;

import java.util.List;

/** Every channel and every node (live or gone) of a fleet. */
public record FleetView(List<ChannelPointer> channels, List<NodeView> nodes) {}
