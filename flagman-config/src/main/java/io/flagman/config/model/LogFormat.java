package io.flagman.config.model;

/**
 * A log-format string as written (after unquoting): literal text mixed with {@code %[fetch,converter]} and
 * {@code %<var>} items. The data plane compiles it once per snapshot.
 */
public record LogFormat(String text) {
    public boolean isConstant() {
        return text.indexOf('%') < 0;
    }
}
