package io.flagman.proxy.stats;

import java.util.Objects;

/**
 * The values of {@code show info}, by {@link InfoField}: a {@code Long} or a {@code String}; an unset field is
 * omitted from every output form (as HAProxy omits {@code description} without {@code global description}).
 * Immutable; built with {@link #builder}.
 */
public final class ProcessInfo {
    private final Object[] values;

    private ProcessInfo(Object[] values) {
        this.values = values.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value, or null when the field is unset. */
    public Object value(InfoField field) {
        return values[field.ordinal()];
    }

    /** A numeric field's value, 0 when unset. */
    public long number(InfoField field) {
        return values[field.ordinal()] instanceof Long l ? l : 0;
    }

    public String text(InfoField field) {
        Object v = values[field.ordinal()];
        return v == null ? "" : v.toString();
    }

    public static final class Builder {
        private final Object[] values = new Object[InfoField.ALL.size()];

        private Builder() {}

        public Builder set(InfoField field, long value) {
            values[field.ordinal()] = value;
            return this;
        }

        public Builder set(InfoField field, String value) {
            values[field.ordinal()] = Objects.requireNonNull(value, "value");
            return this;
        }

        public ProcessInfo build() {
            return new ProcessInfo(values);
        }
    }
}
