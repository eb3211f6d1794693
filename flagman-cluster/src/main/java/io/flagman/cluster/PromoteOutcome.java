package io.flagman.cluster;

/** A successful channel move: the pointer as written and its history entry (null when nothing had to move). */
public record PromoteOutcome(ChannelPointer pointer, HistoryEntry entry) {}
