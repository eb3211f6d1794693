package io.flagman.proxy;

/**
 * A configuration could not be applied (a bind failed, a file could not be read, a feature is unsupported).
 * When thrown, the previously applied configuration keeps running untouched.
 */
public final class ApplyException extends Exception {
    private static final long serialVersionUID = 1L;

    public ApplyException(String message) {
        super(message);
    }

    public ApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
