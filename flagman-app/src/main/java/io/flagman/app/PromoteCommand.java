package io.flagman.app;

import io.flagman.cluster.Confirm;
import io.flagman.cluster.PromoteOutcome;
import io.flagman.cluster.PromoteRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flagman promote --from staging --to production [--version N] [--canary NODE|COUNT] [--continue]
 * [--confirm 60s] [--force]}: moves a channel to a version its source channel's nodes have all applied.
 */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = {
            "Point channel --to at a version of channel --from (its current one unless --version).",
            "Refused unless every live node of --from reports that version applied without error (--force"
                    + " overrides; the history says so), and when --to moved meanwhile (run again).",
            "Exit status: 0 promoted, 1 refused or etcd unreachable, 2 usage."
        })
final class PromoteCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--from", paramLabel = "CHANNEL", description = "The source channel (e.g. staging).")
    String from;

    @Option(names = "--to", paramLabel = "CHANNEL", required = true, description = "The target channel.")
    String to;

    @Option(names = "--version", paramLabel = "N", description = "The version (default: --from's current one).")
    Long version;

    @Option(names = "--canary", paramLabel = "NODE|COUNT",
            description = "Move only these nodes of --to first (names, comma-separated, or the first COUNT live"
                    + " nodes by name); `--continue` moves the rest.")
    String canary;

    @Option(names = "--continue", description = "Move every node of --to to its canary's version.")
    boolean continuePromotion;

    @Option(names = "--confirm", paramLabel = "DURATION",
            description = "Watch window (e.g. 60s, 5m): a server that was UP going DOWN on a promoted node, or a 5xx"
                    + " rate above --max-5xx-rate, moves --to back by itself.")
    String confirm;

    @Option(names = "--max-5xx-rate", paramLabel = "RATE", defaultValue = "0.05",
            description = "The 5xx share of responses that rolls a --confirm window back (default: ${DEFAULT-VALUE}).")
    double max5xxRate;

    @Option(names = "--require-test", paramLabel = "FILE",
            description = "Refuse unless the routing test FILE (`flagman test` requests, with expect) passes against"
                    + " the version being promoted; that exact version is then promoted.")
    Path requireTest;

    @Option(names = "--force", description = "Promote even when nodes of --from have not applied the version.")
    boolean force;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (continuePromotion) {
            for (var o : new Object[][] {{"--version", version}, {"--canary", canary}, {"--confirm", confirm},
                {"--require-test", requireTest}, {"--force", force ? true : null}}) {
                if (o[1] != null) {
                    throw new CommandLine.ParameterException(cl, o[0] + " cannot be used with --continue");
                }
            }
            return FleetCommands.run(cl, cluster, json, f -> f.continuePromotion(to, cluster.by()), PRINTER);
        }
        if (from == null) {
            throw new CommandLine.ParameterException(cl, "missing --from CHANNEL (or use --continue)");
        }
        if (version != null && version <= 0) {
            throw new CommandLine.ParameterException(cl, "--version must be 1 or more");
        }
        if (max5xxRate < 0 || max5xxRate > 1) {
            throw new CommandLine.ParameterException(cl, "--max-5xx-rate must be between 0 and 1, e.g. 0.05");
        }
        PromoteRequest req = PromoteRequest.of(from, to, cluster.by());
        if (version != null) {
            req = req.withVersion(version);
        }
        if (canary != null) {
            PromoteRequest.CanarySpec spec = PromoteRequest.CanarySpec.parse(canary);
            if (spec.nodes().isEmpty() && spec.count() <= 0) {
                throw new CommandLine.ParameterException(cl, "--canary needs node names or a count of 1 or more");
            }
            req = req.withCanary(spec);
        }
        if (confirm != null) {
            req = req.withConfirm(parseDuration(cl, "--confirm", confirm), max5xxRate);
        } else if (max5xxRate != Confirm.DEFAULT_MAX_HTTP5XX_RATE) {
            throw new CommandLine.ParameterException(cl, "--max-5xx-rate only applies with --confirm");
        }
        if (force) {
            req = req.forced();
        }
        if (requireTest != null) {
            Long tested = routingTest(cl, version);
            if (tested == null) {
                return 1;
            }
            req = req.withVersion(tested);
        }
        PromoteRequest request = req;
        return FleetCommands.run(cl, cluster, json, f -> f.promote(request), PRINTER);
    }

    /**
     * Runs {@code --require-test} against {@code v} (the source channel's current version when null): prints the
     * report; returns the version tested when it passes, null (after saying why on stderr) when it does not.
     */
    private Long routingTest(CommandLine cl, Long v) {
        java.io.PrintWriter out = cl.getOut();
        java.io.PrintWriter err = cl.getErr();
        String requests;
        try {
            requests = java.nio.file.Files.readString(requireTest, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            err.println("flagman promote: refused: cannot read the routing test " + requireTest + ": " + e);
            err.flush();
            return null;
        }
        try (io.flagman.cluster.EtcdStore store = cluster.connect(cl)) {
            long n;
            if (v != null) {
                n = v;
            } else {
                var read = store.channel(from);
                if (!read.isOk()) {
                    err.println("flagman promote: " + read.message() + " (is etcd running there? set --cluster or"
                            + " FLAGMAN_CLUSTER)");
                    err.flush();
                    return null;
                }
                if (read.value().isEmpty()) {
                    err.println("flagman promote: no channel '" + from + "' in etcd under " + store.prefix());
                    err.flush();
                    return null;
                }
                n = read.value().get().version();
            }
            WhatIfRun.Report report = WhatIfRun.version(store, n, requireTest.toString(), requests);
            report.lines().forEach(out::println);
            out.flush();
            if (!report.passed()) {
                err.println("flagman promote: refused: the routing test " + requireTest + " fails against version "
                        + n + "; nothing was promoted");
                err.flush();
                return null;
            }
            return n;
        }
    }

    static final FleetCommands.Printer<PromoteOutcome> PRINTER = new FleetCommands.Printer<>() {
        @Override
        public void text(PromoteOutcome value, String message, java.io.PrintWriter out) {
            out.println(message);
        }

        @Override
        public Object json(PromoteOutcome value) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", true);
            m.put("pointer", value.pointer());
            if (value.entry() != null) {
                m.put("entry", value.entry());
            }
            return m;
        }
    };

    /** {@code 500ms}, {@code 60s}, {@code 5m}, {@code 1h} or an ISO-8601 duration ({@code PT1M}). */
    static Duration parseDuration(CommandLine cl, String option, String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                Duration d = switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
                if (!d.isZero()) {
                    return d;
                }
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(cl, option + " " + s + ": not a duration (e.g. 60s, 5m, 500ms)");
    }
}
