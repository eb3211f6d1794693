package io.flagman.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the bytes a proxy wrote to a client: a sequence of complete HTTP/1 responses (RFC 9112
 * status line, field lines, a body framed by Content-Length or chunked), and nothing else. Bodies of responses
 * that have none by definition (1xx, 204, 304) are empty; a response to HEAD carries Content-Length without a
 * body, so a declared body that is absent because the next bytes are the next status line counts as none.
 */
final class HttpResponses {
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([1-5][0-9][0-9]) [^\\r\\n]*");
    private static final Pattern FIELD_LINE = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+): ?([^\\r\\n]*)");

    record Response(int status, List<String> fields, int bodyLength) {}

    private HttpResponses() {}

    /** Every response in {@code bytes}; throws AssertionError naming the first malformed part. */
    static List<Response> parse(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        List<Response> out = new ArrayList<>();
        int pos = 0;
        while (pos < s.length()) {
            int eol = lineEnd(s, pos, "status line");
            Matcher m = STATUS_LINE.matcher(s.substring(pos, eol));
            if (!m.matches()) {
                throw new AssertionError("not a status line at byte " + pos + ": " + excerpt(s, pos));
            }
            int status = Integer.parseInt(m.group(1));
            pos = eol + 2;
            List<String> fields = new ArrayList<>();
            long contentLength = -1;
            boolean chunked = false;
            while (true) {
                eol = lineEnd(s, pos, "field line");
                if (eol == pos) {
                    pos += 2;
                    break;
                }
                Matcher f = FIELD_LINE.matcher(s.substring(pos, eol));
                if (!f.matches()) {
                    throw new AssertionError("malformed field line at byte " + pos + ": " + excerpt(s, pos));
                }
                String name = f.group(1).toLowerCase(Locale.ROOT);
                String value = f.group(2).strip();
                fields.add(name + ": " + value);
                if (name.equals("content-length")) {
                    if (!value.matches("[0-9]{1,12}") || (contentLength >= 0 && contentLength != Long.parseLong(value))) {
                        throw new AssertionError("bad or conflicting Content-Length '" + value + "'");
                    }
                    contentLength = Long.parseLong(value);
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                }
                pos = eol + 2;
            }
            if (chunked && contentLength >= 0) {
                throw new AssertionError("a response with both Content-Length and chunked Transfer-Encoding");
            }
            int bodyStart = pos;
            boolean noBody = status < 200 || status == 204 || status == 304;
            if (noBody) {
                // nothing
            } else if (chunked) {
                pos = chunkedBody(s, pos);
            } else if (contentLength >= 0) {
                boolean headLike = s.startsWith("HTTP/1.", pos) || pos == s.length();
                if (!headLike || contentLength == 0) {
                    if (pos + contentLength > s.length()) {
                        throw new AssertionError("body shorter than its Content-Length " + contentLength);
                    }
                    pos += (int) contentLength;
                }
            } else {
                pos = s.length(); // delimited by the close
            }
            out.add(new Response(status, List.copyOf(fields), pos - bodyStart));
        }
        return out;
    }

    private static int chunkedBody(String s, int pos) {
        while (true) {
            int eol = lineEnd(s, pos, "chunk size");
            String size = s.substring(pos, eol);
            int semi = size.indexOf(';');
            String hex = semi >= 0 ? size.substring(0, semi) : size;
            if (!hex.matches("[0-9A-Fa-f]{1,8}")) {
                throw new AssertionError("bad chunk size '" + size + "'");
            }
            int n = Integer.parseInt(hex, 16);
            pos = eol + 2;
            if (n == 0) {
                while (true) { // trailer fields, then the empty line
                    eol = lineEnd(s, pos, "trailer");
                    boolean empty = eol == pos;
                    pos = eol + 2;
                    if (empty) {
                        return pos;
                    }
                }
            }
            if (pos + n + 2 > s.length() || !s.startsWith("\r\n", pos + n)) {
                throw new AssertionError("chunk data not followed by CRLF");
            }
            pos += n + 2;
        }
    }

    private static int lineEnd(String s, int from, String what) {
        int eol = s.indexOf("\r\n", from);
        if (eol < 0) {
            throw new AssertionError("incomplete " + what + " at byte " + from + ": " + excerpt(s, from));
        }
        int lf = s.indexOf('\n', from);
        if (lf >= 0 && lf < eol) {
            throw new AssertionError("bare LF in a " + what + " at byte " + lf);
        }
        return eol;
    }

    private static String excerpt(String s, int from) {
        String part = s.substring(from, Math.min(s.length(), from + 80));
        return part.replace("\r", "\\r").replace("\n", "\\n");
    }
}
