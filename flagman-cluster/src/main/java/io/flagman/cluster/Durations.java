package io.flagman.cluster;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as HAProxy writes them: {@code 500ms}, {@code 60s}, {@code 2m}, {@code 1h}, {@code 1d}; a bare number is
 * seconds (as {@code flagman promote --confirm 60} reads it).
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("([0-9]{1,9})(us|ms|s|m|h|d)?");

    private Durations() {}

    /** The duration, or null when {@code text} is not a number with one of the units above (or none). */
    public static Duration parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
