package io.flagman.app;

import io.flagman.cluster.EtcdStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flagman test --config FILE REQUESTS.txt} or {@code flagman test --version N [--cluster URLS] REQUESTS.txt}:
 * what-if routing. Evaluates each sample request of the file
 * against the configuration's routing with the data plane's own rules ({@link io.flagman.proxy.WhatIf}) and
 * prints where it goes and which rule decided, without serving anything. Exit 0 when every request was evaluated
 * and every {@code expect} holds, 1 otherwise, 2 on usage errors.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"What-if routing: print, for each sample request of REQUESTS (one per line:"
                + " METHOD URL [from ADDR[:PORT]] [frontend NAME] [Name: value]… [expect BACKEND] [expect status N]),"
                + " the frontend, the backend it would reach and the rule (FILE:LINE) that chose it, or the"
                + " deny/redirect/return that would answer it. Nothing is served.",
            "Exit status 1 when an 'expect' does not hold or a request cannot be evaluated."})
final class TestCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "the configuration whose routing is evaluated")
    Path config;

    @Option(names = "--version", paramLabel = "N",
            description = "evaluate version N of the fleet (in etcd: --cluster, FLAGMAN_CLUSTER) instead of a file")
    Long version;

    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "REQUESTS", description = "the sample requests file")
    Path requests;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        if ((config == null) == (version == null)) {
            throw new CommandLine.ParameterException(cl, "give the configuration to test: --config FILE or"
                    + " --version N (with --cluster URLS or FLAGMAN_CLUSTER)");
        }
        if (version != null && version <= 0) {
            throw new CommandLine.ParameterException(cl, "--version must be 1 or more");
        }
        String configText = null;
        String requestsText;
        try {
            if (config != null) {
                configText = Files.readString(config, StandardCharsets.UTF_8);
            }
            requestsText = Files.readString(requests, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("flagman test: cannot read " + e.getMessage());
            err.flush();
            return 1;
        }
        WhatIfRun.Report report;
        if (config != null) {
            report = WhatIfRun.run(config.toString(), configText, config.toAbsolutePath().getParent(),
                    requests.toString(), requestsText);
        } else {
            try (EtcdStore store = cluster.connect(cl)) {
                report = WhatIfRun.version(store, version, requests.toString(), requestsText);
            }
        }
        report.lines().forEach(out::println);
        out.flush();
        return report.passed() ? 0 : 1;
    }
}
