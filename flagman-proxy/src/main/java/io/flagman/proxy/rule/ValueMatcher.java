package io.flagman.proxy.rule;

import java.net.InetAddress;

/**
 * Tests one sample value against the compiled patterns of an ACL. A fetch calls the method of its own output
 * type; each implementation casts the other types the way HAProxy does (integer → decimal text, address →
 * text, text → leading integer). Booleans are passed as integers 0 or 1. Never throws.
 */
interface ValueMatcher {

    boolean string(String value);

    boolean integer(long value);

    boolean address(InetAddress value);
}
