package io.flagman.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code flagman run|check|promote|history|diff|rollback|fleet …}. */
@Command(
        name = "flagman",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "A load balancer with HAProxy's semantics, configuration language and Data Plane API.",
        subcommands = {RunCommand.class, CheckCommand.class, TestCommand.class, PromoteCommand.class,
            HistoryCommand.class, DiffCommand.class, RollbackCommand.class, FleetCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // One line per log record, in the same voice as the rest of Flagman's output (JUL's default is two).
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "flagman: %5$s%6$s%n");
        }
        // The etcd client (jetcd, gRPC) logs through SLF4J; without a provider SLF4J would warn on every start.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> 2);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: run, check, test, promote, history, diff, rollback or fleet");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"flagman " + (v == null ? "dev" : v)};
        }
    }
}
