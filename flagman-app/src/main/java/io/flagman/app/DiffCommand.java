package io.flagman.app;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flagman diff N M}: the unified diff from version N's configuration text to version M's. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"The unified diff from version N's configuration to version M's (nothing when equal).",
            "Exit status: 0 printed, 1 no such version or etcd unreachable."})
final class DiffCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "N", description = "The older version.")
    long from;

    @Parameters(index = "1", paramLabel = "M", description = "The newer version.")
    long to;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return FleetCommands.run(spec.commandLine(), cluster, false, f -> f.diff(from, to),
                (diff, message, out) -> out.print(diff));
    }
}
