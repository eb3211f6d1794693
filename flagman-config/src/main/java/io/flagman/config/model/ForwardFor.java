package io.flagman.config.model;

/**
 * {@code option forwardfor [except <network>] [header <name>] [if-none]}.
 *
 * @param except source network that gets no header, or null
 * @param header header name (default {@code X-Forwarded-For})
 */
public record ForwardFor(Cidr except, String header, boolean ifNone) {
    public static final String DEFAULT_HEADER = "X-Forwarded-For";
}
