package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the e2e/ scripts against the packaged program: each starts {@code flagman.jar} in a private network
 * namespace with real upstreams and real clients (curl, jq, the seed's own CRUD scripts) and prints one
 * {@code ok - …} line per check.
 */
class EndToEndIT {

    @ParameterizedTest
    @ValueSource(strings = {"worker-config.sh", "seed-workflow.sh", "half-close.sh"})
    void scriptPasses(String script) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("flagman.root", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        Process process = new ProcessBuilder(root.resolve("e2e").resolve(script).toString(), jar.toString())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(finished).as("%s finished within 180 s; output so far:%n%s", script, output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("passed, 0 failed").doesNotContain("FAIL");
    }
}
