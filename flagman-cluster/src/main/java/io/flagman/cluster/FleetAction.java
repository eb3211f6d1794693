package io.flagman.cluster;

import java.time.Instant;
import java.util.List;

/**
 * A runtime command fanned out to every node of a channel ({@code <p>/actions/<channel>/<id>}, lease 60 s).
 *
 * @param command e.g. {@code set-server}
 * @param args the command's arguments, e.g. {@code [b/s, drain]}
 */
public record FleetAction(String id, String command, List<String> args, String by, Instant time) {
    public FleetAction {
        args = args == null ? List.of() : List.copyOf(args);
    }
}
