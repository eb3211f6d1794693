package io.flagman.cluster;

import java.time.Instant;

/**
 * One move of a channel pointer ({@code <p>/history/…}); written in the same transaction as the move.
 *
 * @param action {@code publish}, {@code promote}, {@code canary}, {@code continue}, {@code rollback},
 *     {@code auto-rollback} or {@code confirmed}
 * @param forced true when a refusal was overridden with {@code --force}
 */
public record HistoryEntry(Instant time, String channel, long from, long to, String action, String by,
        String reason, boolean forced) {}
