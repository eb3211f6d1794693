package io.flagman.config.parse;

import io.flagman.config.model.AclTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HAProxy's predefined ACLs ({@code TRUE}, {@code LOCALHOST}, {@code METH_GET}…) as parsed tests, so that the
 * data plane evaluates them like any {@code acl} line. A section's own ACL of the same name takes precedence.
 */
public final class PredefinedAcls {

    private static final Map<String, String> DEFINITIONS = new LinkedHashMap<>();

    static {
        DEFINITIONS.put("FALSE", "always_false");
        DEFINITIONS.put("HTTP", "req.proto_http");
        DEFINITIONS.put("HTTP_1.0", "req.ver 1.0");
        DEFINITIONS.put("HTTP_1.1", "req.ver 1.1");
        DEFINITIONS.put("HTTP_2.0", "req.ver 2.0");
        DEFINITIONS.put("HTTP_3.0", "req.ver 3.0");
        DEFINITIONS.put("HTTP_CONTENT", "hdr_val(content-length) gt 0");
        DEFINITIONS.put("HTTP_URL_ABS", "url_reg ^[^/:]*://");
        DEFINITIONS.put("HTTP_URL_SLASH", "url_beg /");
        DEFINITIONS.put("HTTP_URL_STAR", "url *");
        DEFINITIONS.put("LOCALHOST", "src 127.0.0.1/8 ::1");
        DEFINITIONS.put("METH_CONNECT", "method CONNECT");
        DEFINITIONS.put("METH_DELETE", "method DELETE");
        DEFINITIONS.put("METH_GET", "method GET HEAD");
        DEFINITIONS.put("METH_HEAD", "method HEAD");
        DEFINITIONS.put("METH_OPTIONS", "method OPTIONS");
        DEFINITIONS.put("METH_POST", "method POST");
        DEFINITIONS.put("METH_PUT", "method PUT");
        DEFINITIONS.put("METH_TRACE", "method TRACE");
        DEFINITIONS.put("REQ_CONTENT", "req.len gt 0");
        DEFINITIONS.put("TRUE", "always_true");
    }

    /** Predefined in HAProxy but not evaluated by Flagman: a rule using one is an error. */
    public static final Set<String> NOT_SUPPORTED = Set.of("RDP_COOKIE", "WAIT_END");

    private static final Map<String, AclTest> TESTS = new LinkedHashMap<>();

    static {
        DEFINITIONS.forEach((name, text) -> {
            AclTest t = AclSyntax.parse(List.of(text.split(" ")), (i, m, h) -> {
                throw new IllegalStateException(name + ": " + m);
            });
            TESTS.put(name, t);
        });
    }

    private PredefinedAcls() {}

    /** The test of a predefined ACL, or null when {@code name} is not one Flagman implements. */
    public static AclTest get(String name) {
        return TESTS.get(name);
    }

    /** Every predefined ACL Flagman implements, in HAProxy's documentation order. */
    public static Set<String> names() {
        return java.util.Collections.unmodifiableSet(TESTS.keySet());
    }
}
