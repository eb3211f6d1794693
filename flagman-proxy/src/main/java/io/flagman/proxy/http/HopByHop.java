package io.flagman.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): removed before forwarding, together with every header the
 * {@code Connection} header names. Framing headers are re-serialised by the codec from what the handler sets.
 */
final class HopByHop {
    private static final AsciiString[] ALWAYS = {
        HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, AsciiString.cached("proxy-connection"),
        HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE
    };

    private HopByHop() {}

    static boolean isFraming(String name) {
        return name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding");
    }

    /**
     * Removes hop-by-hop headers; keeps {@code Upgrade} when {@code keepUpgrade} (a tunnel is requested) and, as
     * HAProxy does, {@code TE: trailers} when the TE header offered {@code trailers} (the only TE value a
     * proxy may pass on, RFC 9110 §10.1.4).
     */
    static void strip(HttpHeaders h, boolean keepUpgrade) {
        boolean trailers = false;
        List<String> te = h.getAll(HttpHeaderNames.TE);
        for (int i = 0; i < te.size() && !trailers; i++) {
            for (String token : te.get(i).split(",")) {
                int semi = token.indexOf(';');
                if ((semi < 0 ? token : token.substring(0, semi)).trim().equalsIgnoreCase("trailers")) {
                    trailers = true;
                    break;
                }
            }
        }
        List<String> conn = h.getAll(HttpHeaderNames.CONNECTION);
        for (int i = 0; i < conn.size(); i++) {
            for (String token : conn.get(i).split(",")) {
                String t = token.trim();
                if (!t.isEmpty() && !isFraming(t) && !(keepUpgrade && t.equalsIgnoreCase("upgrade"))
                        && !t.equalsIgnoreCase("host")) {
                    h.remove(t);
                }
            }
        }
        for (AsciiString n : ALWAYS) {
            if (keepUpgrade && n == HttpHeaderNames.UPGRADE) {
                continue;
            }
            h.remove(n);
        }
        if (trailers) {
            h.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        }
    }
}
