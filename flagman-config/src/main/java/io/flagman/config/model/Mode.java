package io.flagman.config.model;

/** {@code mode tcp} or {@code mode http}. HAProxy's default is tcp. */
public enum Mode {
    TCP,
    HTTP;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
