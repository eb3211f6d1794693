package io.flagman.proxy.runtime;

import java.util.List;

/** {@code show info}, {@code show stat}, {@code clear counters}: not served yet (HAProxy's unknown-command text). */
final class StatsCommands {
    private StatsCommands() {}

    static List<CliCommand> all() {
        return List.of();
    }
}
