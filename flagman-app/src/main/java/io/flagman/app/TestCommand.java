package io.flagman.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flagman test --config FILE REQUESTS.txt}: what-if routing. Evaluates each sample request of the file
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

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
            description = "the configuration whose routing is evaluated")
    Path config;

    @Parameters(index = "0", paramLabel = "REQUESTS", description = "the sample requests file")
    Path requests;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String configText;
        String requestsText;
        try {
            configText = Files.readString(config, StandardCharsets.UTF_8);
            requestsText = Files.readString(requests, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("flagman test: cannot read " + e.getMessage());
            err.flush();
            return 1;
        }
        Path dir = config.toAbsolutePath().getParent();
        WhatIfRun.Report report = WhatIfRun.run(config.toString(), configText, dir, requests.toString(),
                requestsText);
        report.lines().forEach(out::println);
        out.flush();
        return report.passed() ? 0 : 1;
    }
}
