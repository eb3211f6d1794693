package io.flagman.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * What a strict HTTP/1 edge checks in a decoded request head beyond Netty (RFC 9112 §3, §3.2, RFC 9110 §7.2):
 * the request-target's form and bytes, the Host field, the protocol version. Table lookups over the target and
 * the Host value, no regex, no copy. The answer is a status: 0 when the request may go on, else the error to
 * send before closing.
 */
final class StrictRequest {
    static final int OK = 0;

    /** Bytes allowed in a {@code uri-host} (reg-name, IPv4): unreserved, pct-encoded, sub-delims but ','. */
    private static final boolean[] HOST = new boolean[128];
    /** Bytes allowed inside {@code [...]} (IP-literal: IPv6 and IPvFuture). */
    private static final boolean[] IP_LITERAL = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            HOST[c] = true;
            HOST[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            HOST[c] = true;
        }
        for (char c : "-._~%!$&'()*+;=".toCharArray()) {
            HOST[c] = true;
        }
        System.arraycopy(HOST, 0, IP_LITERAL, 0, 128);
        IP_LITERAL[':'] = true;
    }

    private StrictRequest() {}

    /**
     * The status a request must be refused with before rules run, or {@link #OK}: 505 for an HTTP major version
     * other than 1, 400 for a bad request-target or Host (CONNECT itself is {@link #forwardable decided later}).
     * Runs after {@link RequestStart#valid}, which has counted the Host fields.
     */
    static int check(HttpRequest req) {
        HttpVersion v = req.protocolVersion();
        if (v.majorVersion() != 1) {
            return isH2Preface(req) ? 400 : 505;
        }
        String target = req.uri();
        if (!targetBytesValid(target)) {
            return 400;
        }
        HttpMethod m = req.method();
        char c0 = target.isEmpty() ? 0 : target.charAt(0);
        String authority;
        if (c0 == '/') {
            authority = null;
            if (m == HttpMethod.CONNECT) {
                return 400;
            }
        } else if (c0 == '*') {
            if (target.length() != 1 || m != HttpMethod.OPTIONS) {
                return 400;
            }
            authority = null;
        } else if (m == HttpMethod.CONNECT) {
            if (!authorityValid(target, 0, target.length(), true)) {
                return 400;
            }
            authority = null;
        } else {
            int end = absoluteAuthorityEnd(target);
            if (end < 0) {
                return 400;
            }
            authority = target.substring(target.indexOf("://") + 3, end);
        }
        return hostValid(req, authority) ? OK : 400;
    }

    /** False for a request Flagman never forwards to a server: CONNECT (no CONNECT tunnel; answered 405). */
    static boolean forwardable(HttpRequest req) {
        return req.method() != HttpMethod.CONNECT;
    }

    /** The HTTP/2 connection preface's first line ({@code PRI * HTTP/2.0}, RFC 9113 §3.4). */
    static boolean isH2Preface(HttpRequest req) {
        return req.method().name().equals("PRI") && req.uri().equals("*") && req.protocolVersion().majorVersion() == 2;
    }

    /** No CTL, SP, DEL, byte >= 0x80 or raw '#' (the fragment is never sent, RFC 9112 §3.2). */
    static boolean targetBytesValid(String t) {
        if (t.isEmpty()) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '#') {
                return false;
            }
        }
        return true;
    }

    /**
     * For an absolute-form target ({@code scheme "://" authority path-abempty [ "?" query ]}), the index where
     * its authority ends; -1 when the target is not of that form or its authority is invalid.
     */
    static int absoluteAuthorityEnd(String t) {
        int colon = t.indexOf(':');
        if (colon <= 0 || !isAlpha(t.charAt(0)) || !t.startsWith("//", colon + 1)) {
            return -1;
        }
        for (int i = 1; i < colon; i++) {
            char c = t.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
                return -1;
            }
        }
        int start = colon + 3;
        int end = start;
        while (end < t.length() && t.charAt(end) != '/' && t.charAt(end) != '?') {
            end++;
        }
        return authorityValid(t, start, end, false) && end > start ? end : -1;
    }

    /**
     * The Host field (one in HTTP/1.1, at most one in 1.0: counted by {@link RequestStart#valid}) holds {@code uri-host[:port]} or nothing; with an
     * absolute-form or authority-form target, Host must name the same authority (RFC 9112 §3.2.2 makes the
     * target win; a proxy that kept the other one would route by one name and forward another).
     */
    private static boolean hostValid(HttpRequest req, String authority) {
        String host = req.headers().get(HttpHeaderNames.HOST); // how many: RequestStart.valid
        if (host == null) {
            return req.protocolVersion() != HttpVersion.HTTP_1_1;
        }
        if (!host.isEmpty() && !authorityValid(host, 0, host.length(), false)) {
            return false;
        }
        return authority == null || sameAuthority(authority, host, req.uri());
    }

    /** {@code uri-host [ ":" port ]} over {@code [from, to)}: no userinfo, comma, space or slash; port 0-65535. */
    static boolean authorityValid(String s, int from, int to, boolean portRequired) {
        if (from >= to) {
            return false;
        }
        int i = from;
        if (s.charAt(i) == '[') {
            int close = s.indexOf(']', i);
            if (close < 0 || close >= to || close == i + 1) {
                return false;
            }
            for (int j = i + 1; j < close; j++) {
                char c = s.charAt(j);
                if (c >= 128 || !IP_LITERAL[c]) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < to && s.charAt(i) != ':') {
                char c = s.charAt(i);
                if (c >= 128 || !HOST[c]) {
                    return false;
                }
                i++;
            }
            if (i == from) {
                return false;
            }
        }
        if (i == to) {
            return !portRequired;
        }
        if (s.charAt(i) != ':' || to - i - 1 > 5 || to - i - 1 == 0) {
            return false;
        }
        int port = 0;
        for (int j = i + 1; j < to; j++) {
            char c = s.charAt(j);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    /** Case-insensitive, the scheme's default port (80 for http, 443 for https) equal to no port. */
    private static boolean sameAuthority(String authority, String host, String target) {
        String scheme = target.regionMatches(true, 0, "https://", 0, 8) ? "https"
                : target.regionMatches(true, 0, "http://", 0, 7) ? "http" : null;
        return stripDefaultPort(authority, scheme).equalsIgnoreCase(stripDefaultPort(host, scheme));
    }

    private static String stripDefaultPort(String a, String scheme) {
        if ("http".equals(scheme) && a.endsWith(":80")) {
            return a.substring(0, a.length() - 3);
        }
        if ("https".equals(scheme) && a.endsWith(":443")) {
            return a.substring(0, a.length() - 4);
        }
        return a;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
