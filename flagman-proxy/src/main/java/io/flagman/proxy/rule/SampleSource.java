package io.flagman.proxy.rule;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What sample fetches read: one connection (TCP mode) or one request (HTTP mode). Implemented by the data
 * plane's per-request exchange; HTTP accessors return null in TCP mode.
 */
public interface SampleSource {

    /** The client address (the one a PROXY protocol header carried, when the bind accepts it). */
    InetSocketAddress source();

    /** The address the client connected to (or the PROXY header's destination). */
    InetSocketAddress destination();

    /** True when the client connection is TLS ({@code ssl_fc}). */
    boolean isSsl();

    /** The TLS SNI the client sent, or null ({@code ssl_fc_sni}, {@code req.ssl_sni}). */
    String sni();

    /** The request method, or null in TCP mode. */
    String method();

    /** The request-target as received ({@code url}), or null in TCP mode. */
    String uri();

    /** {@code HTTP/1.1} or {@code HTTP/1.0}, or null in TCP mode. */
    String httpVersion();

    /** Every value of header {@code name} (case-insensitive), in order, one entry per header line; never null. */
    List<String> headerValues(String name);

    /** Number of usable servers of a backend ({@code nbsrv(<backend>)}); 0 for an unknown backend. */
    int usableServers(String backend);
}
