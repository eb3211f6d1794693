package io.flagman.app;

import io.flagman.cluster.ActionResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flagman fleet set-server --channel C B/S state ready|drain|maint}: the runtime command on every live
 * node of a channel, in one call. Runtime state stays node-local, as in HAProxy.
 */
@Command(name = "set-server", mixinStandardHelpOptions = true,
        description = {"Run `set server B/S state ready|drain|maint` on every live node of --channel.",
            "Exit status: 0 every node answered ok, 1 one failed or did not answer within --wait."})
final class FleetSetServerCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--channel", paramLabel = "C", required = true, description = "The channel whose nodes run it.")
    String channel;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5s",
            description = "How long to wait for every node's answer (default: ${DEFAULT-VALUE}).")
    String wait;

    @Parameters(index = "0", paramLabel = "BACKEND/SERVER", description = "The server, e.g. web/s1.")
    String server;

    @Parameters(index = "1", paramLabel = "state", description = "The word `state`.")
    String stateWord;

    @Parameters(index = "2", paramLabel = "ready|drain|maint", description = "The administrative state.")
    String state;

    @Option(names = "--json", description = "Print the nodes' answers as JSON.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (!"state".equals(stateWord)) {
            throw new CommandLine.ParameterException(cl, "expected `" + server + " state ready|drain|maint`, got '"
                    + stateWord + "'");
        }
        if (!List.of("ready", "drain", "maint").contains(state)) {
            throw new CommandLine.ParameterException(cl, "state " + state + ": use ready, drain or maint");
        }
        if (!server.matches("[^\\s/]+/[^\\s/]+")) {
            throw new CommandLine.ParameterException(cl, server + ": give the server as BACKEND/SERVER, e.g. web/s1");
        }
        Duration within = PromoteCommand.parseDuration(cl, "--wait", wait);
        String command = "set server " + server + " state " + state;
        return FleetCommands.run(cl, cluster, json, f -> f.runAction(channel, command, cluster.by(), within),
                (List<ActionResult> answers, String message, java.io.PrintWriter out) -> out.println(message));
    }
}
