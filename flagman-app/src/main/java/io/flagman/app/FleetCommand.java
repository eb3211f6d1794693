package io.flagman.app;

import io.flagman.cluster.ChannelPointer;
import io.flagman.cluster.FleetView;
import io.flagman.cluster.Health;
import io.flagman.cluster.NodeView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code flagman fleet [--json]}: every channel and every node, what it serves, how far behind, its health. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Every channel's version and every node: channel, version applied, lag behind its channel,"
                + " drift, health, last error, last heartbeat; a node whose lease expired shows as gone."},
        subcommands = FleetSetServerCommand.class)
final class FleetCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--json", description = "Print {channels:[…], nodes:[…]} as JSON.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return FleetCommands.run(spec.commandLine(), cluster, json, f -> f.fleetView(), FleetCommand::print);
    }

    static void print(FleetView view, String message, PrintWriter out) {
        if (view.channels().isEmpty()) {
            out.println("no channels yet");
        }
        for (ChannelPointer p : view.channels()) {
            StringBuilder s = new StringBuilder("channel ").append(p.channel()).append(": version ")
                    .append(p.version());
            if (p.canary() != null) {
                s.append(", canary version ").append(p.canary().version()).append(" on ")
                        .append(String.join(", ", p.canary().nodes()));
            }
            if (p.confirm() != null) {
                s.append(", confirm until ").append(p.confirm().until()).append(" (else back to ")
                        .append(p.confirm().rollbackTo()).append(')');
            }
            s.append(" — moved by ").append(p.movedBy()).append(" at ").append(p.movedAt());
            out.println(s);
        }
        if (view.nodes().isEmpty()) {
            out.println("no nodes have reported");
            return;
        }
        out.println();
        out.printf("%-14s %-12s %-8s %-5s %-6s %-9s %-18s %-10s %s%n", "NODE", "CHANNEL", "VERSION", "LAG", "DRIFT",
                "STATE", "HEALTH", "HEARTBEAT", "LAST ERROR");
        Instant now = Instant.now();
        for (NodeView n : view.nodes()) {
            out.printf("%-14s %-12s %-8d %-5d %-6s %-9s %-18s %-10s %s%n", n.node(), n.channel(), n.version(),
                    n.lag(), n.drifted() ? "yes" : "no", n.state(), health(n.health()), ago(n.heartbeat(), now),
                    n.lastError() == null ? "" : n.lastError());
        }
    }

    private static String health(Health h) {
        if (h == null) {
            return "-";
        }
        return h.serversUp() + " up, " + h.serversDown() + " down";
    }

    private static String ago(Instant t, Instant now) {
        if (t == null) {
            return "-";
        }
        long s = Math.max(0, Duration.between(t, now).toSeconds());
        return s < 120 ? s + "s ago" : s / 60 + "m ago";
    }
}
