package io.flagman.config.model;

/**
 * Where a {@code bind} listens: {@code *:80}, {@code :80}, {@code 1.2.3.4:80}, {@code [::]:80},
 * {@code ipv4@…}, {@code ipv6@…}, {@code unix@/path} or a plain {@code /path}.
 *
 * @param family the address family as written
 * @param host the literal host, or null for "any" ({@code *}, empty, {@code 0.0.0.0} stays literal)
 * @param port first port (0 for unix sockets)
 * @param portEnd last port of a range, equal to {@code port} for a single port
 * @param path the unix socket path, or null
 * @param text the address exactly as written in the file
 */
public record BindAddress(Family family, String host, int port, int portEnd, String path, String text) {

    public enum Family {
        /** No explicit family: {@code *:80} or {@code :80} (IPv4 wildcard in HAProxy). */
        ANY,
        IPV4,
        IPV6,
        UNIX
    }

    public boolean isWildcard() {
        return family != Family.UNIX && (host == null || host.equals("0.0.0.0") || host.equals("::"));
    }
}
