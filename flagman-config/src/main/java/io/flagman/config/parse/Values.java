package io.flagman.config.parse;

import io.flagman.config.model.BindAddress;
import io.flagman.config.model.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Value syntax shared by keywords: durations, sizes, integers, ports, addresses and networks. Each method returns
 * null (or -1) after reporting the problem on the word it was given. The public methods serve callers outside the
 * parser (the Data Plane API's millisecond fields), so that they read and write exactly the language's words.
 */
public final class Values {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(us|ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG])?");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private Values() {}

    /** A duration: digits and an optional unit (us, ms, s, m, h, d); no unit means milliseconds. */
    static Duration duration(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches() || m.group(1).length() > 12) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return switch (unit) {
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalStateException(unit);
        };
    }

    static Duration duration(Directive d, int i) {
        String w = d.word(i);
        if (w == null) {
            d.missing(i, "a duration");
            return null;
        }
        Duration value = duration(w);
        if (value == null) {
            d.error(i, "'" + d.keyword() + "': invalid duration '" + w + "'",
                    "expected a number with an optional unit: us, ms, s, m, h, d (no unit = ms), e.g. 5s");
        }
        return value;
    }

    /** Writes {@code option value} onto {@code w} when the value is said (not null). */
    static void option(List<String> w, String option, Object value) {
        if (value != null) {
            w.add(option);
            w.add(value.toString());
        }
    }

    /** The canonical text of a duration: the largest exact unit among d, h, m, s, else milliseconds. */
    static String formatDuration(Duration value) {
        long nanos = value.toNanos();
        if (nanos % 1_000_000 != 0) {
            return (nanos / 1000) + "us";
        }
        return formatMillis(value.toMillis());
    }

    /** A duration word in whole milliseconds ({@code us} truncated), or null if not a duration or out of range. */
    public static Long millis(String word) {
        Duration d = duration(word);
        if (d == null) {
            return null;
        }
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return null; // beyond a long of milliseconds (about 292 million years)
        }
    }

    /** Milliseconds as the largest exact unit among d, h, m, s, else {@code <n>ms} (20000 → 20s, 0 → 0). */
    public static String formatMillis(long ms) {
        if (ms == 0) {
            return "0";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return (ms / sizes[i]) + units[i];
            }
        }
        return ms + "ms";
    }

    /** A size in bytes with an optional k, m or g suffix (powers of 1024). */
    static long size(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches() || m.group(1).length() > 12) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        if (m.group(2) == null) {
            return n;
        }
        return switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> n << 10;
            case 'm' -> n << 20;
            case 'g' -> n << 30;
            default -> -1;
        };
    }

    /** An integer in {@code [min, max]}; reports and returns null otherwise. */
    static Integer integer(Directive d, int i, int min, int max, String what) {
        String w = d.word(i);
        if (w == null) {
            d.missing(i, what);
            return null;
        }
        Integer v = parseInt(w);
        if (v == null || v < min || v > max) {
            d.error(i, "'" + d.keyword() + "': invalid " + what + " '" + w + "'",
                    "expected an integer from " + min + " to " + max);
            return null;
        }
        return v;
    }

    static Integer parseInt(String w) {
        if (w == null || w.isEmpty() || w.length() > 10) {
            return null;
        }
        for (int k = 0; k < w.length(); k++) {
            if (!Character.isDigit(w.charAt(k)) && !(k == 0 && w.charAt(k) == '-' && w.length() > 1)) {
                return null;
            }
        }
        long v = Long.parseLong(w);
        return v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? null : (int) v;
    }

    /** A port 1..65535, or -1. */
    static int port(String text) {
        Integer v = parseInt(text);
        return v == null || v < 1 || v > 65535 ? -1 : v;
    }

    /** The 4 bytes of a dotted IPv4 literal, or null. */
    static byte[] ipv4(String text) {
        Matcher m = IPV4.matcher(text);
        if (!m.matches()) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(m.group(i + 1));
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /** The 16 bytes of an IPv6 literal (never a DNS lookup), or null. */
    static byte[] ipv6(String text) {
        if (text.indexOf(':') < 0 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(text).getAddress();
            if (b.length == 4) {
                // ::ffff:a.b.c.d comes back as IPv4; keep it IPv6-mapped.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(b, 0, mapped, 12, 4);
                return mapped;
            }
            return b;
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    static byte[] ip(String text) {
        byte[] v4 = ipv4(text);
        return v4 != null ? v4 : ipv6(text);
    }

    /** {@code a.b.c.d[/len]}, {@code a.b.c.d/m.a.s.k} or {@code v6[/len]}; null when malformed. */
    static Cidr cidr(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        byte[] address = ip(host);
        if (address == null) {
            return null;
        }
        int prefix = address.length * 8;
        if (slash >= 0) {
            String len = text.substring(slash + 1);
            Integer p = parseInt(len);
            if (p == null) {
                byte[] mask = address.length == 4 ? ipv4(len) : null;
                p = mask == null ? null : maskLength(mask);
            }
            if (p == null || p < 0 || p > address.length * 8) {
                return null;
            }
            prefix = p;
        }
        return new Cidr(address, prefix);
    }

    private static Integer maskLength(byte[] mask) {
        int bits = 0;
        boolean zero = false;
        for (byte b : mask) {
            for (int i = 7; i >= 0; i--) {
                boolean one = ((b >> i) & 1) == 1;
                if (one && zero) {
                    return null;
                }
                if (one) {
                    bits++;
                } else {
                    zero = true;
                }
            }
        }
        return bits;
    }

    /** A host and port as written on a server line; {@code port} is 0 when absent. */
    record HostPort(String host, int port) {}

    /**
     * Splits {@code host[:port]}, {@code [v6]:port} or {@code v6:port} (HAProxy takes the last colon as the port
     * separator). Returns null with {@code error} filled when malformed.
     */
    static HostPort hostPort(String text, StringBuilder error) {
        String t = text;
        for (String prefix : new String[] {"ipv4@", "ipv6@"}) {
            if (t.startsWith(prefix)) {
                t = t.substring(prefix.length());
            }
        }
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                error.append("missing ']' after the IPv6 address");
                return null;
            }
            String host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (ipv6(host) == null) {
                error.append("'").append(host).append("' is not an IPv6 address");
                return null;
            }
            if (rest.isEmpty()) {
                return new HostPort(host, 0);
            }
            if (!rest.startsWith(":")) {
                error.append("expected ':<port>' after ']'");
                return null;
            }
            int port = port(rest.substring(1));
            if (port < 0) {
                error.append("port '").append(rest.substring(1)).append("' out of range (expected 1 to 65535)");
                return null;
            }
            return new HostPort(host, port);
        }
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            return t.isEmpty() ? null : new HostPort(t, 0);
        }
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        if (portText.isEmpty()) {
            return new HostPort(host, 0);
        }
        int port = port(portText);
        if (port < 0) {
            error.append("port '").append(portText).append("' out of range (expected 1 to 65535)");
            return null;
        }
        return new HostPort(host, port);
    }

    /**
     * A bind address: {@code *:80}, {@code :80}, {@code 1.2.3.4:80}, {@code [::]:80}, {@code ::1:80},
     * {@code ipv4@…}, {@code ipv6@…}, {@code unix@/path}, {@code /path}, ports and ranges {@code 8000-8010}.
     */
    static BindAddress bindAddress(String text, StringBuilder error) {
        if (text.startsWith("unix@") || text.startsWith("/")) {
            String path = text.startsWith("unix@") ? text.substring(5) : text;
            if (path.isEmpty()) {
                error.append("missing socket path after 'unix@'");
                return null;
            }
            return new BindAddress(BindAddress.Family.UNIX, null, 0, 0, path, text);
        }
        int at = text.indexOf('@');
        BindAddress.Family family = BindAddress.Family.ANY;
        String rest = text;
        if (at >= 0) {
            String prefix = text.substring(0, at);
            switch (prefix) {
                case "ipv4" -> family = BindAddress.Family.IPV4;
                case "ipv6" -> family = BindAddress.Family.IPV6;
                default -> {
                    error.append("address family '").append(prefix).append("@' is not supported yet")
                            .append(" (expected ipv4@, ipv6@ or unix@)");
                    return null;
                }
            }
            rest = text.substring(at + 1);
        }
        String host;
        String ports;
        if (rest.startsWith("[")) {
            int close = rest.indexOf("]:");
            if (close < 0) {
                error.append("expected '[<ipv6>]:<port>'");
                return null;
            }
            host = rest.substring(1, close);
            ports = rest.substring(close + 2);
            if (ipv6(host) == null) {
                error.append("'").append(host).append("' is not an IPv6 address");
                return null;
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                error.append("missing port (expected <address>:<port>, e.g. *:80)");
                return null;
            }
            host = rest.substring(0, colon);
            ports = rest.substring(colon + 1);
        }
        if (host.equals("*") || host.isEmpty()) {
            host = null;
        }
        if (host != null && family == BindAddress.Family.ANY) {
            if (ipv4(host) != null) {
                family = BindAddress.Family.IPV4;
            } else if (ipv6(host) != null) {
                family = BindAddress.Family.IPV6;
            }
        }
        if (host != null && family == BindAddress.Family.IPV4 && ipv4(host) == null) {
            error.append("'").append(host).append("' is not an IPv4 address");
            return null;
        }
        if (host != null && family == BindAddress.Family.IPV6 && ipv6(host) == null) {
            error.append("'").append(host).append("' is not an IPv6 address");
            return null;
        }
        int dash = ports.indexOf('-');
        String first = dash < 0 ? ports : ports.substring(0, dash);
        String last = dash < 0 ? ports : ports.substring(dash + 1);
        int port = port(first);
        int portEnd = port(last);
        if (ports.isEmpty()) {
            error.append("missing port (expected <address>:<port>, e.g. *:80)");
            return null;
        }
        if (port < 0 || portEnd < 0) {
            error.append("port '").append(ports).append("' out of range (expected 1 to 65535 or a range a-b)");
            return null;
        }
        if (portEnd < port) {
            error.append("port range '").append(ports).append("' ends before it starts");
            return null;
        }
        return new BindAddress(family, host, port, portEnd, null, text);
    }
}
