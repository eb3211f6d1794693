package io.flagman.app;

import io.flagman.cluster.HistoryEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flagman history [--channel C] [--json]}: every channel move, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Every move of the channel pointers (publish, promote, canary, continue, rollback,"
                + " auto-rollback, confirmed), oldest first.")
final class HistoryCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--channel", paramLabel = "C", description = "Only this channel's moves.")
    String channel;

    @Option(names = "--json", description = "Print a JSON array of entries.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return FleetCommands.run(spec.commandLine(), cluster, json, f -> f.history(channel),
                HistoryCommand::print);
    }

    static void print(List<HistoryEntry> entries, String message, PrintWriter out) {
        if (entries.isEmpty()) {
            out.println("no history yet");
            return;
        }
        out.printf("%-24s %-12s %-14s %-13s %-10s %s%n", "TIME", "CHANNEL", "VERSION", "ACTION", "BY", "REASON");
        for (HistoryEntry h : entries) {
            String move = (h.from() == 0 ? "-" : Long.toString(h.from())) + " -> " + h.to();
            out.printf("%-24s %-12s %-14s %-13s %-10s %s%n", h.time(), h.channel(), move,
                    h.action() + (h.forced() ? "!" : ""), h.by(), h.reason() == null ? "" : h.reason());
        }
    }
}
