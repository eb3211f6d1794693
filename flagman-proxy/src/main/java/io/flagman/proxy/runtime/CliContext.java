package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;

/**
 * One connection's CLI state: its level (lowered by {@code operator} / {@code user}, never raised), its mode
 * ({@code prompt}) and how short replies show their severity ({@code set severity-output}). Confined to the
 * session's executor.
 */
final class CliContext {
    /** HAProxy's interactive modes: non-interactive, interactive silent, with a prompt, with a timed prompt. */
    enum Mode {
        NONE,
        SILENT,
        PROMPT,
        TIMED
    }

    /** {@code set severity-output none|number|string}. */
    enum SeverityOutput {
        NONE,
        NUMBER,
        STRING
    }

    private final ServerControl servers;
    private final CommandTable table;
    private Level level;
    private Mode mode = Mode.NONE;
    private boolean closeAfterLine;
    private SeverityOutput severityOutput = SeverityOutput.NONE;

    CliContext(ServerControl servers, CommandTable table, Level level) {
        this.servers = servers;
        this.table = table;
        this.level = level;
    }

    ServerControl servers() {
        return servers;
    }

    CommandTable table() {
        return table;
    }

    Level level() {
        return level;
    }

    boolean allows(Level needed) {
        return level.compareTo(needed) >= 0;
    }

    /** {@code operator}, {@code user}: lowers the level; a higher one is ignored, as in HAProxy. */
    void lowerTo(Level next) {
        if (next.compareTo(level) < 0) {
            level = next;
        }
    }

    Mode mode() {
        return mode;
    }

    void mode(Mode next) {
        mode = next;
        closeAfterLine = next == Mode.NONE;
    }

    /** True when the connection closes once the current line is answered. */
    boolean closeAfterLine() {
        return closeAfterLine || mode == Mode.NONE;
    }

    SeverityOutput severityOutput() {
        return severityOutput;
    }

    void severityOutput(SeverityOutput next) {
        severityOutput = next;
    }
}
