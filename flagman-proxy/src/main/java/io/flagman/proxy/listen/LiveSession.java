package io.flagman.proxy.listen;

import java.net.InetSocketAddress;

/**
 * One client connection as {@code show sess} lists it: its channel id, protocol, source, frontend, and the backend
 * and server of what it does now (null when none).
 */
public record LiveSession(String id, String proto, InetSocketAddress source, String frontend, String backend,
        String server, long acceptNanos) {}
