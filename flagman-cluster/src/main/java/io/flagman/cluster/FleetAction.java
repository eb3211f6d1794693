package io.flagman.cluster;

import java.time.Instant;
import java.util.List;

/**
 * A runtime command fanned out to every node of a channel ({@code <p>/actions/<channel>/<id>}, lease 60 s).
 *
 * @param command the runtime command every node runs, as text: {@code set server web/s1 state drain}
 * @param args extra arguments (none for {@code set server})
 */
public record FleetAction(String id, String command, List<String> args, String by, Instant time) {
    public FleetAction {
        args = args == null ? List.of() : List.copyOf(args);
    }
}
