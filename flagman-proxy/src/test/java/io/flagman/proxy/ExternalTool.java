package io.flagman.proxy;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program a test runs (promtool, prometheus). In CI ({@code CI=true}) a missing one fails the test; elsewhere
 * the test is not run, with the package to install in the message.
 */
final class ExternalTool {
    private ExternalTool() {}

    static Path require(String program, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = program + " is not installed (apt-get install -y " + debianPackage + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + "; .ci/run installs it");
        }
        assumeTrue(false, message);
        return null;
    }
}
