package io.flagman.proxy.rule;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Pure helpers that extract HTTP samples from a request-target and header lines with HAProxy's rules. Shared by
 * ACL fetches, log formats and the hashing balancers. None of them throws on malformed input: they return null
 * (no sample) instead.
 */
public final class Samples {

    private Samples() {}

    /**
     * HAProxy's {@code path}: the request-target up to the first '?'. For an absolute-form target the scheme and
     * authority are stripped (an absolute URI without a path yields ""); {@code *} yields "*"; an
     * authority-form target (CONNECT) has no path (null).
     */
    public static String path(String uri) {
        if (uri == null || uri.isEmpty()) {
            return null;
        }
        int start = 0;
        char first = uri.charAt(0);
        if (first != '/') {
            if (first == '*') {
                return uri;
            }
            int scheme = uri.indexOf("://");
            if (scheme <= 0) {
                return null;
            }
            int slash = uri.indexOf('/', scheme + 3);
            int question = uri.indexOf('?', scheme + 3);
            if (slash < 0 || (question >= 0 && question < slash)) {
                return "";
            }
            start = slash;
        }
        int end = uri.indexOf('?', start);
        if (end < 0) {
            return start == 0 ? uri : uri.substring(start);
        }
        return uri.substring(start, end);
    }

    /** HAProxy's {@code query}: what follows the first '?', or null when there is no '?'. */
    public static String query(String uri) {
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        return q < 0 ? null : uri.substring(q + 1);
    }

    /**
     * HAProxy's {@code url_param(name[,delim])}: the value of the first query parameter called {@code name}
     * (case-sensitive) or null. A null {@code name} returns the first parameter's value.
     */
    public static String urlParam(String uri, String name, char delimiter) {
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        int pos = q + 1;
        int len = uri.length();
        int fragment = uri.indexOf('#', pos);
        if (fragment >= 0) {
            len = fragment;
        }
        while (pos < len) {
            int end = uri.indexOf(delimiter, pos);
            if (end < 0 || end > len) {
                end = len;
            }
            int eq = uri.indexOf('=', pos);
            if (eq >= 0 && eq < end) {
                if (name == null || (eq - pos == name.length() && uri.startsWith(name, pos))) {
                    return uri.substring(eq + 1, end);
                }
            }
            pos = end + 1;
        }
        return null;
    }

    /**
     * The last comma-separated value of a header (HAProxy's {@code hdr(name)} in a sample context), or the
     * occurrence {@code occ}: positive counts from the first value (1 = first), negative from the last (-1 =
     * last). Null when absent.
     */
    public static String headerValue(List<String> lines, int occ, boolean splitCommas) {
        if (lines.isEmpty()) {
            return null;
        }
        if (!splitCommas) {
            int index = occ > 0 ? occ - 1 : lines.size() + occ;
            return index >= 0 && index < lines.size() ? lines.get(index).strip() : null;
        }
        if (occ > 0) {
            int seen = 0;
            for (String line : lines) {
                int pos = 0;
                while (pos <= line.length()) {
                    int end = valueEnd(line, pos);
                    if (++seen == occ) {
                        return line.substring(pos, end).strip();
                    }
                    pos = end + 1;
                }
            }
            return null;
        }
        int total = 0;
        for (String line : lines) {
            total += valueCount(line);
        }
        return occ == 0 ? null : headerValue(lines, total + occ + 1, true);
    }

    /** Number of comma-separated values over all lines ({@code hdr_cnt}). */
    public static int headerCount(List<String> lines) {
        int total = 0;
        for (String line : lines) {
            total += valueCount(line);
        }
        return total;
    }

    private static int valueCount(String line) {
        int count = 0;
        int pos = 0;
        while (pos <= line.length()) {
            count++;
            pos = valueEnd(line, pos) + 1;
        }
        return count;
    }

    /** End (exclusive) of the comma-separated value starting at {@code pos}; commas inside quotes do not split. */
    static int valueEnd(String line, int pos) {
        boolean quoted = false;
        for (int i = pos; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                return i;
            }
        }
        return line.length();
    }

    /** HAProxy's {@code base}: the first Host header value followed by the path, or the path alone. */
    public static String base(SampleSource sample) {
        String path = path(sample.uri());
        if (path == null) {
            return null;
        }
        List<String> hosts = sample.headerValues("host");
        if (hosts.isEmpty()) {
            return path;
        }
        return hosts.getFirst().strip() + path;
    }

    /** The address as HAProxy prints it ({@code inet_ntop}: dotted quad, or RFC 5952 compressed IPv6). */
    public static String addressText(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && b.length == 16) {
            return ipv6Text(b);
        }
        return address.getHostAddress();
    }

    /** Text of a socket address' IP, or null. */
    public static String addressText(InetSocketAddress address) {
        if (address == null || address.getAddress() == null) {
            return null;
        }
        return addressText(address.getAddress());
    }

    static String ipv6Text(byte[] b) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        boolean mapped = bestStart == 0 && bestLen == 5 && words[5] == 0xffff;
        if (mapped) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }

    /** HAProxy's string-to-integer cast: optional sign then leading digits; 0 when none; null for "". */
    static Long toInteger(String s) {
        if (s.isEmpty()) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i++;
        }
        long value = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
