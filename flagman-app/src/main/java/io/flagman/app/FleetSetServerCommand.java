package io.flagman.app;

import io.flagman.cluster.ClusterJson;
import io.flagman.cluster.Durations;
import io.flagman.cluster.EtcdStore;
import io.flagman.cluster.FleetActions;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flagman fleet set-server --channel C BACKEND/SERVER state ready|drain|maint}: the Runtime API's
 * {@code set server} on every live node of a channel ({@link FleetActions}); prints each node's answer.
 */
@Command(name = "set-server", mixinStandardHelpOptions = true,
        description = {"Run 'set server BACKEND/SERVER state ready|drain|maint' on every live node of --channel and"
                + " print each node's answer (runtime state stays node-local, as in HAProxy; this fans it out).",
            "Exit status 0 when every node answered ok, 1 when one failed or did not answer before --wait, 2 on"
                    + " usage errors."})
final class FleetSetServerCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--channel", paramLabel = "CHANNEL", required = true, description = "The channel whose nodes"
            + " run it.")
    String channel;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for every node's answer (default: ${DEFAULT-VALUE}).")
    String waitText;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Parameters(paramLabel = "BACKEND/SERVER state ready|drain|maint", arity = "1..*",
            description = "What to set, as the Runtime API writes it after 'set server'.")
    List<String> words = new ArrayList<>();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        Duration wait = Durations.parse(waitText);
        if (wait == null || wait.isZero()) {
            throw new CommandLine.ParameterException(cl, "--wait " + waitText + ": not a duration (e.g. 10s, 1m)");
        }
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        try (EtcdStore store = cluster.connect(cl)) {
            FleetActions.Outcome o = new FleetActions(store, Clock.systemUTC()).run(channel,
                    "set server " + String.join(" ", words), cluster.by(), wait);
            int code = switch (o) {
                case FleetActions.Outcome.Refused r -> {
                    err.println("flagman fleet set-server: refused: " + r.message());
                    yield 1;
                }
                case FleetActions.Outcome.Unavailable u -> {
                    err.println("flagman fleet set-server: etcd is unavailable (" + u.message() + "): nothing was"
                            + " posted (is etcd running there? set --cluster or FLAGMAN_CLUSTER)");
                    yield 1;
                }
                case FleetActions.Outcome.Done d -> {
                    if (json) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("ok", d.report().ok());
                        m.put("report", d.report());
                        out.println(ClusterJson.writePretty(m));
                    } else {
                        out.println(FleetActions.summary(d.report()));
                    }
                    yield d.report().ok() ? 0 : 1;
                }
            };
            out.flush();
            err.flush();
            return code;
        }
    }
}
