package io.flagman.proxy.runtime;

import io.flagman.config.model.StatsSocket.Level;
import io.flagman.proxy.DataPlane;
import java.util.List;

/**
 * One runtime command at {@code admin} level, outside any socket: how the Data Plane API runs {@code add server},
 * {@code del server} and {@code set server … health} (HAProxy's DPA sends them to the runtime socket), so both
 * answer with the one implementation. Thread-safety: any thread, as {@link ServerControl}.
 */
public final class AdminCommand {
    private final CommandTable table;

    public AdminCommand(DataPlane dataPlane) {
        this.table = CommandTable.standard(new ServerControl(dataPlane));
    }

    /**
     * The reply of a command.
     *
     * @param error true for an error message (HAProxy's {@code [3]} severity)
     * @param text the reply's text without the trailing empty line
     */
    public record Answer(boolean error, String text) {}

    /** Runs {@code words} (a command line split into words, not empty). */
    public Answer run(List<String> words) {
        Reply r = table.execute(new CliContext(table.servers(), table, Level.ADMIN), words);
        return switch (r) {
            case Reply.Message m -> new Answer(m.severity() <= Reply.ERR, m.text());
            case Reply.Dump d -> new Answer(false, d.text());
            case Reply.Empty e -> new Answer(false, "");
            case Reply.Quit q -> new Answer(false, "");
        };
    }
}
