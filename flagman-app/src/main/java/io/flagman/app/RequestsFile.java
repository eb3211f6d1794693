package io.flagman.app;

import io.flagman.proxy.WhatIf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A what-if requests file ({@code flagman test}): one sample request per line,
 * <pre>
 * METHOD URL [from ADDR[:PORT]] [frontend NAME] [Name: value]… [expect BACKEND] [expect status N]
 * </pre>
 * {@code #} starts a comment, blank lines are skipped, a value with spaces is written in double quotes. URL is
 * {@code http://host[:port]/path?query}, {@code https://…} (TLS: {@code ssl_fc} true, SNI = the host name), or an
 * origin-form {@code /path} (port 80, no Host header unless one is given). Defaults: source 127.0.0.1 port 0, the
 * frontend binding the URL's port, the Host header from the URL. Parsing never throws: a malformed line is a
 * {@link Problem} naming the line, the others are still read.
 */
final class RequestsFile {

    /** What a line expects: a backend name and/or an answer status (null / 0 when not given). */
    record Expectation(String backend, int status) {
        boolean any() {
            return backend != null || status != 0;
        }
    }

    /** One sample request of the file: its line, its text, the request, what it expects. */
    record Sample(int line, String text, WhatIf.Request request, Expectation expect) {}

    /** A line that could not be read, with a hint. */
    record Problem(int line, String message) {}

    /** The file's samples and its problems. */
    record Parsed(List<Sample> samples, List<Problem> problems) {}

    private RequestsFile() {}

    static Parsed parse(String text) {
        List<Sample> samples = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = stripComment(lines[i]).strip();
            if (raw.isEmpty()) {
                continue;
            }
            try {
                samples.add(line(i + 1, raw));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(i + 1, e.getMessage()));
            }
        }
        return new Parsed(List.copyOf(samples), List.copyOf(problems));
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static Sample line(int number, String raw) {
        List<String> words = words(raw);
        if (words.size() < 2) {
            throw new IllegalArgumentException("expected 'METHOD URL …', e.g. 'GET http://example.com/ from 10.0.0.5'");
        }
        String method = words.get(0);
        if (!method.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("'" + method + "' is not a method (GET, POST…, in capitals)");
        }
        Target target = target(words.get(1));
        String frontend = null;
        InetSocketAddress source = new InetSocketAddress(loopback(), 0);
        String backend = null;
        int status = 0;
        List<WhatIf.Header> headers = new ArrayList<>();
        boolean host = false;
        for (int i = 2; i < words.size(); i++) {
            String w = words.get(i);
            switch (w) {
                case "from" -> source = source(next(words, ++i, "from", "an address, e.g. 10.0.0.5 or 10.0.0.5:4321"));
                case "frontend" -> frontend = next(words, ++i, "frontend", "a frontend name");
                case "expect" -> {
                    String e = next(words, ++i, "expect", "a backend name, or 'status N'");
                    if (e.equals("status")) {
                        status = status(next(words, ++i, "expect status", "a status code, e.g. 404"));
                    } else {
                        backend = e;
                    }
                }
                default -> {
                    int colon = w.indexOf(':');
                    if (colon <= 0 || !token(w.substring(0, colon))) {
                        throw new IllegalArgumentException("unexpected '" + w + "': expected from, frontend, expect"
                                + " or a header 'Name: value'");
                    }
                    String name = w.substring(0, colon);
                    String value = w.substring(colon + 1);
                    if (value.isEmpty()) {
                        value = next(words, ++i, name + ":", "the header's value");
                    }
                    host |= name.equalsIgnoreCase("host");
                    headers.add(new WhatIf.Header(name, value));
                }
            }
        }
        if (!host && target.host != null) {
            headers.addFirst(new WhatIf.Header("Host", target.host));
        }
        WhatIf.Request request = new WhatIf.Request(frontend, method, target.path, headers, source, target.port,
                target.ssl, target.ssl ? target.sni : null);
        return new Sample(number, raw, request, new Expectation(backend, status));
    }

    private record Target(String path, String host, String sni, int port, boolean ssl) {}

    private static Target target(String url) {
        if (url.startsWith("/")) {
            return new Target(url, null, null, 80, false);
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL with a host, nor a"
                    + " /path");
        }
        boolean ssl = scheme.equals("https");
        int port = u.getPort() >= 0 ? u.getPort() : ssl ? 443 : 80;
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (u.getRawQuery() != null) {
            path += "?" + u.getRawQuery();
        }
        String host = u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
        String sni = u.getHost().startsWith("[") || u.getHost().matches("[0-9.]+") ? null : u.getHost();
        return new Target(path, host, sni, port, ssl);
    }

    private static InetSocketAddress source(String text) {
        String host = text;
        int port = 0;
        int colon = text.lastIndexOf(':');
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': missing ']'");
            }
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                if (text.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("'" + text + "': expected [ADDR]:PORT");
                }
                port = port(text.substring(close + 2), text);
            }
        } else if (colon > 0 && text.indexOf(':') == colon) {
            host = text.substring(0, colon);
            port = port(text.substring(colon + 1), text);
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address (write 10.0.0.5 or [::1])");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address");
        }
    }

    private static int port(String text, String whole) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + whole + "': the port must be 0..65535");
    }

    private static int status(String text) {
        try {
            int s = Integer.parseInt(text);
            if (s >= 100 && s <= 599) {
                return s;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + text + "' is not a status code (100..599)");
    }

    private static String next(List<String> words, int i, String after, String what) {
        if (i >= words.size()) {
            throw new IllegalArgumentException("'" + after + "' needs " + what);
        }
        return words.get(i);
    }

    private static boolean token(String s) {
        return s.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0);
    }

    private static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /** Whitespace-separated words; "double quoted" ones may hold spaces ({@code \"} for a quote). */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    w.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    w.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
            } else {
                if (w == null) {
                    w = new StringBuilder();
                }
                if (c == '"') {
                    quoted = true;
                } else {
                    w.append(c);
                }
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated \" quote");
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }
}
