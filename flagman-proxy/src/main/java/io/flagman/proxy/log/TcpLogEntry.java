package io.flagman.proxy.log;

import java.net.InetSocketAddress;

/**
 * What one {@code option tcplog} line reports about one connection. Times are milliseconds, -1 when never
 * reached.
 *
 * @param client {@code %ci:%cp}
 * @param acceptTimeMillis epoch milliseconds of the accept ({@code %t})
 * @param frontend {@code %ft} ('~' appended when {@code ssl})
 * @param backend backend name, or null (the frontend name is shown)
 * @param server server name, or null for {@code <NOSRV>}
 * @param timeQueue {@code %Tw}
 * @param timeConnect {@code %Tc}
 * @param timeTotal {@code %Tt}: accept to close
 * @param bytesRead {@code %B}: bytes sent to the client
 * @param termination {@code %ts}: two characters ("--" when normal), null for "--"
 */
public record TcpLogEntry(
        InetSocketAddress client,
        long acceptTimeMillis,
        String frontend,
        boolean ssl,
        String backend,
        String server,
        long timeQueue,
        long timeConnect,
        long timeTotal,
        long bytesRead,
        String termination,
        Connections connections,
        int retries,
        boolean redispatched,
        int serverQueue,
        int backendQueue) {

    public TcpLogEntry {
        connections = connections == null ? Connections.NONE : connections;
    }
}
