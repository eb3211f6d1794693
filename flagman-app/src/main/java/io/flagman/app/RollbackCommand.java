package io.flagman.app;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flagman rollback --channel C --to N}: points a channel at an existing version (a new history entry). */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Point --channel at version --to again; recorded as a new move (history only grows).",
            "Exit status: 0 done, 1 refused (no such version or channel, moved meanwhile) or etcd unreachable."})
final class RollbackCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--channel", paramLabel = "C", required = true, description = "The channel to move back.")
    String channel;

    @Option(names = "--to", paramLabel = "N", required = true, description = "The version to serve.")
    long to;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (to <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to must be a version number, 1 or more");
        }
        return FleetCommands.run(spec.commandLine(), cluster, json, f -> f.rollback(channel, to, cluster.by()),
                PromoteCommand.PRINTER);
    }
}
