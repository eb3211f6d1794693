package io.flagman.cluster;

import java.time.Instant;

/**
 * A rejected hand edit kept for later ({@code <p>/drafts/<node>/<millis>}).
 *
 * @param baseVersion the channel version the edit was made against
 * @param text the edited configuration text
 * @param diff unified diff from the channel version to the edit
 */
public record Draft(String node, Instant time, long baseVersion, String text, String diff) {}
