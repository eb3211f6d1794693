package io.flagman.proxy.log;

import io.flagman.proxy.rule.Samples;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Renders HAProxy's {@code option httplog} and {@code option tcplog} lines exactly as HAProxy 2.6 prints them with
 * {@code log stdout format raw} (no syslog header). The shapes were copied from real HAProxy output:
 *
 * <pre>
 * 127.0.0.1:35860 [26/Nov/2026:04:13:22.984] fe2 be/s1 0/0/0/0/0 200 73 - - ---- 2/1/0/0/0 0/0 "GET /hello?x=1 HTTP/1.1"
 * 127.0.0.1:59098 [26/Nov/2026:04:13:28.410] tcpfe tcpfe/s1 1/0/2 66 -- 1/1/0/0/0 0/0
 * </pre>
 *
 * Thread-safe and stateless; dates are in the system's time zone, as HAProxy's local time.
 */
public final class AccessLog {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT);

    private AccessLog() {}

    /** The {@code option httplog} line, without a trailing newline. */
    public static String httpLine(HttpLogEntry e) {
        return httpLine(e, ZoneId.systemDefault());
    }

    public static String httpLine(HttpLogEntry e, ZoneId zone) {
        StringBuilder sb = new StringBuilder(160);
        client(sb, e.client());
        sb.append(" [").append(date(e.requestTimeMillis(), zone)).append("] ");
        names(sb, e.frontend(), e.ssl(), e.backend(), e.server());
        sb.append(' ').append(e.timeRequest()).append('/').append(e.timeQueue()).append('/').append(e.timeConnect())
                .append('/').append(e.timeResponse()).append('/').append(e.timeActive());
        sb.append(' ').append(e.status()).append(' ').append(e.bytesRead());
        sb.append(" - - "); // %CC %CS: cookie capture is not supported
        sb.append(e.termination() == null ? "----" : e.termination()).append(' ');
        counters(sb, e.connections(), e.retries(), e.redispatched(), e.serverQueue(), e.backendQueue());
        captures(sb, e.capturedRequestHeaders());
        captures(sb, e.capturedResponseHeaders());
        sb.append(" \"");
        if (e.requestLine() == null) {
            sb.append("<BADREQ>");
        } else {
            escape(sb, e.requestLine());
        }
        return sb.append('"').toString();
    }

    /** The {@code option tcplog} line, without a trailing newline. */
    public static String tcpLine(TcpLogEntry e) {
        return tcpLine(e, ZoneId.systemDefault());
    }

    public static String tcpLine(TcpLogEntry e, ZoneId zone) {
        StringBuilder sb = new StringBuilder(128);
        client(sb, e.client());
        sb.append(" [").append(date(e.acceptTimeMillis(), zone)).append("] ");
        names(sb, e.frontend(), e.ssl(), e.backend(), e.server());
        sb.append(' ').append(e.timeQueue()).append('/').append(e.timeConnect()).append('/').append(e.timeTotal());
        sb.append(' ').append(e.bytesRead()).append(' ');
        sb.append(e.termination() == null ? "--" : e.termination()).append(' ');
        counters(sb, e.connections(), e.retries(), e.redispatched(), e.serverQueue(), e.backendQueue());
        return sb.toString();
    }

    static String date(long epochMillis, ZoneId zone) {
        return DATE.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    private static void client(StringBuilder sb, InetSocketAddress client) {
        String ip = Samples.addressText(client);
        if (ip == null) {
            sb.append("-:-");
            return;
        }
        sb.append(ip).append(':').append(client.getPort());
    }

    private static void names(StringBuilder sb, String frontend, boolean ssl, String backend, String server) {
        sb.append(frontend);
        if (ssl) {
            sb.append('~');
        }
        sb.append(' ').append(backend == null ? frontend : backend).append('/')
                .append(server == null ? "<NOSRV>" : server);
    }

    private static void counters(StringBuilder sb, Connections c, int retries, boolean redispatched, int sq, int bq) {
        sb.append(c.process()).append('/').append(c.frontend()).append('/').append(c.backend()).append('/')
                .append(c.server()).append('/');
        if (redispatched) {
            sb.append('+');
        }
        sb.append(retries).append(' ').append(sq).append('/').append(bq);
    }

    /** {@code %hr}/{@code %hs}: " {v1|v2}", or nothing at all (not even the space) when nothing is captured. */
    private static void captures(StringBuilder sb, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        sb.append(" {");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append('|');
            }
            String v = values.get(i);
            if (v != null) {
                escape(sb, v);
            }
        }
        sb.append('}');
    }

    /** HAProxy's log escaping: control bytes, DEL and above, '"' and '#' become "#XX". */
    static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '#') {
                sb.append('#').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                sb.append(c);
            }
        }
    }
}
