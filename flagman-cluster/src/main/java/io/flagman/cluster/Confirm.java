package io.flagman.cluster;

import java.time.Instant;

/**
 * A commit-confirmed window on a channel: until {@code until}, a health regression on a node of the channel
 * (a server that was UP goes DOWN, or the 5xx rate exceeds {@code maxHttp5xxRate}) moves the channel back to
 * {@code rollbackTo}.
 */
public record Confirm(Instant until, long rollbackTo, double maxHttp5xxRate) {

    /** The 5xx rate bound used when none is given: 5 % of the responses in the window. */
    public static final double DEFAULT_MAX_HTTP5XX_RATE = 0.05;
}
