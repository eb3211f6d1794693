package io.flagman.config.text;

import java.util.Set;

/**
 * Where one section sits in a {@link ConfigDocument}: its header line and the lines up to the next header.
 *
 * @param keyword {@code global}, {@code defaults}, {@code frontend}, {@code backend}, {@code listen},
 *     {@code userlist}, …
 * @param name the section name, or null (global, anonymous defaults)
 * @param header 0-based index of the header line
 * @param end 0-based index one past the section's last line (the next header, or the line count)
 */
public record Section(String keyword, String name, int header, int end) {

    /** Every keyword that starts a section in HAProxy 2.6+ (Flagman implements a subset, see the parser). */
    public static final Set<String> KEYWORDS = Set.of("global", "defaults", "frontend", "backend", "listen",
            "userlist", "peers", "resolvers", "mailers", "cache", "program", "http-errors", "ring",
            "log-forward", "fcgi-app", "crt-store", "traces", "acme");
}
