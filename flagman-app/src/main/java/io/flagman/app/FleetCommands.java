package io.flagman.app;

import io.flagman.cluster.ClusterJson;
import io.flagman.cluster.EtcdStore;
import io.flagman.cluster.Fleet;
import io.flagman.cluster.FleetResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;

/** What the fleet commands share: run an operation against etcd, print its outcome, map it to an exit code. */
final class FleetCommands {

    private FleetCommands() {}

    /** Runs {@code op} on a fleet over the options' etcd; prints failures on stderr as {@code flagman NAME: …}. */
    static <T> int run(CommandLine cl, ClusterOptions options, boolean json, Function<Fleet, FleetResult<T>> op,
            Printer<T> printer) {
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        try (EtcdStore store = options.connect(cl)) {
            FleetResult<T> r = op.apply(new Fleet(store));
            if (json) {
                out.println(ClusterJson.writePretty(r instanceof FleetResult.Done<T> d ? printer.json(d.value())
                        : failure(r)));
            } else if (r instanceof FleetResult.Done<T> d) {
                printer.text(d.value(), d.message(), out);
            } else {
                String hint = r instanceof FleetResult.Unavailable<T>
                        ? " (is etcd running there? set --cluster or FLAGMAN_CLUSTER)" : "";
                err.println(cl.getCommandSpec().qualifiedName() + ": " + r.message() + hint);
            }
            out.flush();
            err.flush();
            return r.exitCode();
        }
    }

    private static Map<String, Object> failure(FleetResult<?> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", false);
        m.put("code", r.httpStatus());
        m.put("message", r.message());
        if (r instanceof FleetResult.Refused<?> refused && refused.current() != null) {
            m.put("current", refused.current());
        }
        return m;
    }

    /** How a command prints its value. */
    interface Printer<T> {
        void text(T value, String message, PrintWriter out);

        default Object json(T value) {
            return value;
        }
    }
}
