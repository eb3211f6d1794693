package io.flagman.config.model;

import java.time.Duration;

/**
 * One {@code server} line of a backend, with {@code default-server} settings already applied.
 *
 * @param host host name or IP literal as written (IPv6 without brackets)
 * @param port the port, 0 when omitted (HAProxy then uses the client's destination port)
 * @param weight 0..256, default 1
 * @param maxconn concurrent request limit, 0 = unlimited; requests above it wait in the server's queue
 * @param check {@code check}: health checks enabled
 * @param inter interval between checks (default 2s)
 * @param rise consecutive successes to go up (default 2)
 * @param fall consecutive failures to go down (default 3)
 * @param ssl {@code ssl}: TLS to the server
 * @param verify {@code verify none|required}, null when unset
 * @param sni the {@code sni} expression, or null
 * @param checkPort {@code port}: the port health checks connect to, 0 = the server's own
 * @param checkAddr {@code addr}: the IP address health checks connect to, null = the server's own
 * @param line the line in the source file, 0 for servers created at runtime
 */
public record Server(
        String name,
        String host,
        int port,
        int weight,
        boolean backup,
        boolean disabled,
        int maxconn,
        boolean check,
        Duration inter,
        int rise,
        int fall,
        SendProxy sendProxy,
        boolean ssl,
        String verify,
        String sni,
        int checkPort,
        String checkAddr,
        int line) {

    public static final int DEFAULT_WEIGHT = 1;
    public static final Duration DEFAULT_INTER = Duration.ofSeconds(2);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;

    public Server {
        if (weight < 0 || weight > 256) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 0..256)");
        }
    }

    /** Whether checks go to their own port or address: then, as in HAProxy, without the server's TLS or PROXY header. */
    public boolean checksElsewhere() {
        return checkPort > 0 || checkAddr != null;
    }

    /** A server with every optional setting at HAProxy's default. */
    public static Server of(String name, String host, int port) {
        return new Server(name, host, port, DEFAULT_WEIGHT, false, false, 0, false, DEFAULT_INTER, DEFAULT_RISE,
                DEFAULT_FALL, SendProxy.NONE, false, null, null, 0, null, 0);
    }

    public Server withWeight(int newWeight) {
        return new Server(name, host, port, newWeight, backup, disabled, maxconn, check, inter, rise, fall,
                sendProxy, ssl, verify, sni, checkPort, checkAddr, line);
    }

    public Server withAddress(String newHost, int newPort) {
        return new Server(name, newHost, newPort, weight, backup, disabled, maxconn, check, inter, rise, fall,
                sendProxy, ssl, verify, sni, checkPort, checkAddr, line);
    }
}
