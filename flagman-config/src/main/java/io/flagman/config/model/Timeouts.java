package io.flagman.config.model;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The timeouts set on a proxy (after defaults). Unset kinds are absent. */
public record Timeouts(Map<Timeout, Duration> values) {

    public static final Timeouts NONE = new Timeouts(Map.of());

    public Timeouts {
        values = Map.copyOf(values);
    }

    /** The timeout, or null when unset. */
    public Duration get(Timeout kind) {
        return values.get(kind);
    }

    public Duration get(Timeout kind, Duration fallback) {
        return values.getOrDefault(kind, fallback);
    }

    public Timeouts with(Timeout kind, Duration value) {
        EnumMap<Timeout, Duration> copy = new EnumMap<>(Timeout.class);
        copy.putAll(values);
        copy.put(kind, value);
        return new Timeouts(copy);
    }
}
