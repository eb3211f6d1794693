package io.flagman.config.model;

import java.util.List;

/**
 * A sample fetch with its arguments and converters, e.g. {@code hdr(host)} or {@code req.hdr(x-id),lower}.
 *
 * @param name the canonical fetch name ({@code hdr}, {@code path}, {@code src}…); suffix forms such as
 *     {@code hdr_beg} are normalised to the base fetch plus a {@link Match}
 * @param args the arguments inside the parentheses
 * @param converters converter expressions after the fetch ({@code lower}, {@code field(1,:)}…), as written
 */
public record Fetch(String name, List<String> args, List<String> converters) {
    public Fetch {
        args = List.copyOf(args);
        converters = List.copyOf(converters);
    }

    public String arg(int index) {
        return index < args.size() ? args.get(index) : null;
    }
}
