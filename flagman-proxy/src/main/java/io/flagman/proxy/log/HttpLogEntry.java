package io.flagman.proxy.log;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What one {@code option httplog} line reports about one request. Times are milliseconds, -1 when the step was
 * never reached (HAProxy's convention).
 *
 * @param client the client address ({@code %ci:%cp}; the PROXY header's source when the bind accepts it)
 * @param requestTimeMillis epoch milliseconds when the request's first byte arrived ({@code %tr})
 * @param frontend frontend name ({@code %ft}; a '~' is appended when {@code ssl})
 * @param backend backend name, or null when the frontend answered itself (then the frontend name is shown)
 * @param server server name, or null for {@code <NOSRV>}
 * @param timeRequest {@code %TR}: first byte to complete headers
 * @param timeQueue {@code %Tw}: time in queues
 * @param timeConnect {@code %Tc}: server connect time
 * @param timeResponse {@code %Tr}: server response time (headers)
 * @param timeActive {@code %Ta}: total active time of the request
 * @param status {@code %ST}: the status sent to the client
 * @param bytesRead {@code %B}: bytes sent to the client (headers and body)
 * @param termination {@code %tsc}: the four-character termination state ("----" when normal), null for "----"
 * @param connections {@code %ac/%fc/%bc/%sc}
 * @param retries {@code %rc}: connection retries
 * @param redispatched retried on another server ({@code option redispatch}): {@code %rc} gets a '+' prefix
 * @param serverQueue {@code %sq}
 * @param backendQueue {@code %bq}
 * @param requestLine the request line as received, without CRLF ({@code %r}); null for "&lt;BADREQ&gt;"
 * @param capturedRequestHeaders {@code %hr} values (empty: nothing printed)
 * @param capturedResponseHeaders {@code %hs} values (empty: nothing printed)
 */
public record HttpLogEntry(
        InetSocketAddress client,
        long requestTimeMillis,
        String frontend,
        boolean ssl,
        String backend,
        String server,
        long timeRequest,
        long timeQueue,
        long timeConnect,
        long timeResponse,
        long timeActive,
        int status,
        long bytesRead,
        String termination,
        Connections connections,
        int retries,
        boolean redispatched,
        int serverQueue,
        int backendQueue,
        String requestLine,
        List<String> capturedRequestHeaders,
        List<String> capturedResponseHeaders) {

    public HttpLogEntry {
        capturedRequestHeaders = capturedRequestHeaders == null ? List.of() : List.copyOf(capturedRequestHeaders);
        capturedResponseHeaders = capturedResponseHeaders == null ? List.of() : List.copyOf(capturedResponseHeaders);
        connections = connections == null ? Connections.NONE : connections;
    }
}
