package io.flagman.config.model;

import java.util.List;

/**
 * One {@code bind} line of a frontend or listen section.
 *
 * @param name the {@code name} option, or null
 * @param acceptProxy {@code accept-proxy}: a PROXY protocol v1/v2 header is required on each connection
 * @param ssl {@code ssl}: TLS is terminated on this bind
 * @param certificates the {@code crt} files (PEM with certificate chain and key), in order
 * @param maxconn the bind's own connection limit, 0 when unset
 * @param backlog the listen backlog, 0 when unset
 * @param alpn the {@code alpn} protocol list as written, or null
 * @param v4v6 {@code v4v6}: an IPv6 wildcard also accepts IPv4
 * @param v6only {@code v6only}
 * @param line the line in the source file
 */
public record Bind(
        BindAddress address,
        String name,
        boolean acceptProxy,
        boolean ssl,
        List<String> certificates,
        int maxconn,
        int backlog,
        String alpn,
        boolean v4v6,
        boolean v6only,
        int line) {

    public Bind {
        certificates = List.copyOf(certificates);
    }
}
