package io.flagman.cluster;

import java.time.Duration;
import java.util.List;

/**
 * What {@code flagman promote} asks for.
 *
 * @param from the source channel (whose live nodes must all have applied the version)
 * @param to the target channel
 * @param version the version to promote; 0 for the source channel's current version
 * @param canary the nodes of {@code to} that move first, or null for all of them
 * @param force promote even when the source's nodes have not all applied the version (history says so)
 * @param confirm the commit-confirmed window, or null
 * @param maxHttp5xxRate the 5xx rate above which the window rolls back ({@link Confirm#DEFAULT_MAX_HTTP5XX_RATE})
 * @param by who promotes
 */
public record PromoteRequest(String from, String to, long version, CanarySpec canary, boolean force,
        Duration confirm, double maxHttp5xxRate, String by) {

    /** A plain promotion of the source's current version. */
    public static PromoteRequest of(String from, String to, String by) {
        return new PromoteRequest(from, to, 0, null, false, null, Confirm.DEFAULT_MAX_HTTP5XX_RATE, by);
    }

    /** The same request for {@code version}. */
    public PromoteRequest withVersion(long v) {
        return new PromoteRequest(from, to, v, canary, force, confirm, maxHttp5xxRate, by);
    }

    /** The same request with a canary. */
    public PromoteRequest withCanary(CanarySpec c) {
        return new PromoteRequest(from, to, version, c, force, confirm, maxHttp5xxRate, by);
    }

    /** The same request, forced. */
    public PromoteRequest forced() {
        return new PromoteRequest(from, to, version, canary, true, confirm, maxHttp5xxRate, by);
    }

    /** The same request with a commit-confirmed window. */
    public PromoteRequest withConfirm(Duration window, double max5xx) {
        return new PromoteRequest(from, to, version, canary, force, window, max5xx, by);
    }

    /**
     * The canary nodes: named ({@code nodes}) or the first {@code count} live nodes of the target channel by name.
     */
    public record CanarySpec(List<String> nodes, int count) {
        public CanarySpec {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
        }

        /** {@code NODE[,NODE…]} or {@code COUNT}. */
        public static CanarySpec parse(String s) {
            String t = s.strip();
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                return new CanarySpec(List.of(), Integer.parseInt(t));
            }
            return new CanarySpec(java.util.Arrays.stream(t.split(",")).map(String::strip)
                    .filter(n -> !n.isEmpty()).toList(), 0);
        }
    }
}
