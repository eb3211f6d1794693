package io.flagman.proxy.http;

import io.flagman.config.model.ErrorFile;
import io.flagman.proxy.ApplyException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Responses the proxy generates itself (400, 403, 408, 503…): HAProxy's built-in pages, replaced per status by
 * {@code errorfile <status> <file>} (a complete raw HTTP response, parsed once when the snapshot compiles).
 * Immutable; the body bytes are shared read-only by every response.
 */
public final class ErrorPages {
    /** One page: status line, headers and body. */
    record Page(HttpResponseStatus status, List<Map.Entry<String, String>> headers, byte[] body) {}

    public static final ErrorPages DEFAULT = new ErrorPages(Map.of());

    private final Map<Integer, Page> pages;

    private ErrorPages(Map<Integer, Page> pages) {
        this.pages = pages;
    }

    /** Loads the error files (relative paths against the working directory, as HAProxy does). */
    public static ErrorPages load(List<ErrorFile> files, String where) throws ApplyException {
        if (files.isEmpty()) {
            return DEFAULT;
        }
        Map<Integer, Page> pages = new HashMap<>();
        for (ErrorFile f : files) {
            byte[] raw;
            try {
                raw = Files.readAllBytes(Path.of(f.path()));
            } catch (IOException e) {
                throw new ApplyException(where + ": errorfile " + f.status() + " '" + f.path() + "': cannot read: "
                        + e.getMessage(), e);
            }
            pages.put(f.status(), parse(f.status(), raw));
        }
        return new ErrorPages(Map.copyOf(pages));
    }

    static Page parse(int status, byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        int sep = 4;
        if (end < 0) {
            end = text.indexOf("\n\n");
            sep = 2;
        }
        if (end < 0) {
            end = text.length();
            sep = 0;
        }
        String[] lines = text.substring(0, end).split("\r?\n");
        HttpResponseStatus st = HttpResponseStatus.valueOf(status);
        if (lines.length > 0 && lines[0].startsWith("HTTP/")) {
            String[] parts = lines[0].split(" ", 3);
            if (parts.length >= 2) {
                try {
                    int code = Integer.parseInt(parts[1]);
                    st = parts.length == 3 ? new HttpResponseStatus(code, parts[2]) : HttpResponseStatus.valueOf(code);
                } catch (NumberFormatException ignored) {
                    // keep the status of the errorfile line
                }
            }
        }
        List<Map.Entry<String, String>> headers = new java.util.ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                String name = lines[i].substring(0, c).trim();
                if (!HopByHop.isFraming(name) && !name.equalsIgnoreCase("connection")) {
                    headers.add(Map.entry(name, lines[i].substring(c + 1).trim()));
                }
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, Math.min(raw.length, end + sep), raw.length);
        return new Page(st, List.copyOf(headers), body);
    }

    /** A fresh response for {@code status}: the errorfile's when configured, else HAProxy's built-in page. */
    public FullHttpResponse response(int status) {
        Page p = pages.get(status);
        if (p == null) {
            return builtIn(status);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, p.status(),
                Unpooled.wrappedBuffer(p.body()), DefaultHttpHeadersFactory.headersFactory(),
                DefaultHttpHeadersFactory.trailersFactory());
        HttpHeaders h = r.headers();
        for (Map.Entry<String, String> e : p.headers()) {
            h.add(e.getKey(), e.getValue());
        }
        h.set(HttpHeaderNames.CONTENT_LENGTH, p.body().length);
        return r;
    }

    static FullHttpResponse builtIn(int status) {
        HttpResponseStatus st = HttpResponseStatus.valueOf(status);
        String msg = switch (status) {
            case 400 -> "Your browser sent an invalid request.";
            case 401 -> "You need a valid user and password to access this content.";
            case 403 -> "Request forbidden by administrative rules.";
            case 404 -> "The resource could not be found.";
            case 405 -> "A request was made of a resource using a request method not supported by that resource";
            case 408 -> "Your browser didn't send a complete request in time.";
            case 414 -> "The request URI is too long.";
            case 431 -> "The request header fields are too large.";
            case 500 -> "An internal server error occurred.";
            case 502 -> "The server returned an invalid or incomplete response.";
            case 503 -> "No server is available to handle this request.";
            case 504 -> "The server didn't respond in time.";
            default -> st.reasonPhrase();
        };
        byte[] body = ("<html><body><h1>" + status + " " + st.reasonPhrase() + "</h1>\n" + msg
                + "\n</body></html>\n").getBytes(StandardCharsets.ISO_8859_1);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, st, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.CONTENT_TYPE, "text/html");
        return r;
    }
}
