package io.flagman.config.parse;

import io.flagman.config.model.Fetch;
import io.flagman.config.model.Match;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The catalogue of sample fetches Flagman evaluates: for each canonical name, the match method it implies when no
 * {@code -m} is given and the layer it reads, which decides the proxy modes it can work in. The ACL parser, the
 * predefined ACLs and the validator's mode rules all read this one table.
 */
public final class SampleFetches {

    /** What a fetch reads, and therefore where it can have a value. */
    public enum Layer {
        /** Connection facts (addresses, ports, TLS of the bind, backend state): every mode. */
        CONNECTION,
        /**
         * The raw bytes of the request buffer (HAProxy's layer 6: {@code req.len}, {@code req.ssl_sni}): HAProxy
         * ignores these on HTTP proxies.
         */
        CONTENT,
        /** The HTTP request (headers, path, method, credentials…): only in mode http. */
        HTTP_REQUEST,
        /** The HTTP response (status, response headers): only in mode http. */
        HTTP_RESPONSE;

        /** True when the fetch has a value only in an HTTP proxy. */
        public boolean needsHttp() {
            return this == HTTP_REQUEST || this == HTTP_RESPONSE;
        }
    }

    private record Entry(Match implied, Layer layer) {}

    private static final Map<String, Entry> TABLE = new LinkedHashMap<>();

    static {
        for (String s : java.util.List.of("hdr", "path", "url", "base", "query", "url_param", "method")) {
            put(s, Match.STR, Layer.HTTP_REQUEST);
        }
        put("ssl_fc_sni", Match.STR, Layer.CONNECTION);
        put("req.ssl_sni", Match.STR, Layer.CONTENT);
        put("req.ver", Match.STR, Layer.HTTP_REQUEST);
        put("res.hdr", Match.STR, Layer.HTTP_RESPONSE);
        put("src", Match.IP, Layer.CONNECTION);
        put("dst", Match.IP, Layer.CONNECTION);
        put("dst_port", Match.INT, Layer.CONNECTION);
        put("src_port", Match.INT, Layer.CONNECTION);
        put("nbsrv", Match.INT, Layer.CONNECTION);
        put("req.len", Match.INT, Layer.CONTENT);
        put("status", Match.INT, Layer.HTTP_RESPONSE);
        put("ssl_fc", Match.BOOL, Layer.CONNECTION);
        put("req.proto_http", Match.BOOL, Layer.HTTP_REQUEST);
        put("always_true", Match.BOOL, Layer.CONNECTION);
        put("always_false", Match.BOOL, Layer.CONNECTION);
        put("http_auth", Match.BOOL, Layer.HTTP_REQUEST);
        put("http_auth_group", Match.STR, Layer.HTTP_REQUEST);
    }

    private static void put(String name, Match implied, Layer layer) {
        TABLE.put(name, new Entry(implied, layer));
    }

    private SampleFetches() {}

    /** Every canonical fetch name, in catalogue order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(TABLE.keySet());
    }

    static boolean known(String canonicalName) {
        return TABLE.containsKey(canonicalName);
    }

    /** The match method the fetch implies, or null when it is not in the catalogue. */
    static Match implied(String canonicalName) {
        Entry e = TABLE.get(canonicalName);
        return e == null ? null : e.implied();
    }

    /** The layer a canonical fetch (as in {@link Fetch#name()}) reads, or null when it is not in the catalogue. */
    public static Layer layer(String canonicalName) {
        Entry e = TABLE.get(canonicalName);
        return e == null ? null : e.layer();
    }

    /**
     * The canonical name of a fetch expression as written in a log-format {@code %[…]} or an ACL criterion
     * ({@code req.hdr(host),lower}, {@code hdr_beg(host)}), or null when it names no fetch of the catalogue.
     */
    public static String canonical(String expression) {
        Fetch f = AclSyntax.fetch(expression, (i, m, h) -> { });
        return f == null ? null : f.name();
    }
}
