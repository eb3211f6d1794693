package io.flagman.proxy.rule;

import io.flagman.config.model.AclTest;
import io.flagman.config.model.Fetch;
import io.flagman.config.model.Match;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's predefined ACLs (configuration.txt §7.4) that Flagman can evaluate, compiled once. Kept here until
 * the config module's {@code PredefinedAcls} table is the single source; the names and meanings are HAProxy's.
 */
final class PredefinedAclTable {

    private static final Map<String, RequestPredicate> TABLE = build();

    private PredefinedAclTable() {}

    /** The compiled predefined ACL, or null when {@code name} is not one. */
    static RequestPredicate get(String name) {
        return TABLE.get(name);
    }

    private static Map<String, RequestPredicate> build() {
        Map<String, RequestPredicate> t = new HashMap<>();
        t.put("TRUE", s -> true);
        t.put("FALSE", s -> false);
        t.put("HTTP", s -> s.method() != null);
        t.put("HTTP_1.0", test("req.ver", Match.STR, "1.0"));
        t.put("HTTP_1.1", test("req.ver", Match.STR, "1.1"));
        t.put("HTTP_2.0", test("req.ver", Match.STR, "2.0"));
        t.put("HTTP_CONTENT", AclCompiler.compile(new AclTest(new Fetch("hdr", List.of("content-length"), List.of()),
                Match.INT, false, List.of("gt", "0"), List.of(), "req.hdr_val(content-length)", "gt 0")));
        t.put("HTTP_URL_ABS", test("url", Match.REG, "^[^/:]*://"));
        t.put("HTTP_URL_SLASH", test("url", Match.BEG, "/"));
        t.put("HTTP_URL_STAR", test("url", Match.STR, "*"));
        t.put("LOCALHOST", test("src", Match.IP, "127.0.0.1/8", "::1"));
        t.put("METH_CONNECT", test("method", Match.STR, "CONNECT"));
        t.put("METH_DELETE", test("method", Match.STR, "DELETE"));
        t.put("METH_GET", test("method", Match.STR, "GET", "HEAD"));
        t.put("METH_HEAD", test("method", Match.STR, "HEAD"));
        t.put("METH_OPTIONS", test("method", Match.STR, "OPTIONS"));
        t.put("METH_POST", test("method", Match.STR, "POST"));
        t.put("METH_PUT", test("method", Match.STR, "PUT"));
        t.put("METH_TRACE", test("method", Match.STR, "TRACE"));
        return Map.copyOf(t);
    }

    private static RequestPredicate test(String fetch, Match match, String... patterns) {
        return AclCompiler.compile(new AclTest(new Fetch(fetch, List.of(), List.of()), match, false,
                List.of(patterns), List.of(), fetch, String.join(" ", patterns)));
    }
}
