package io.flagman.proxy.http;

import io.netty.handler.codec.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;

/**
 * The size on the wire of a response's status line and headers, for the httplog's {@code %B} (HAProxy counts
 * every byte sent to the client, headers included). Chunk-size lines of a chunked body are not counted.
 */
final class HeadSize {

    private HeadSize() {}

    static long of(HttpResponse r) {
        // "HTTP/1.1 200 OK\r\n"
        long n = r.protocolVersion().text().length() + 5L + r.status().reasonPhrase().length() + 2;
        Iterator<Map.Entry<CharSequence, CharSequence>> it = r.headers().iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            n += e.getKey().length() + 2L + e.getValue().length() + 2;
        }
        return n + 2; // the empty line
    }
}
