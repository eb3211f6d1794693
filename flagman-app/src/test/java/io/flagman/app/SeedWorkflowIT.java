package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs e2e/seed-workflow.sh: the seed's own CRUD scripts, unchanged, with curl and jq against the packaged
 * program started with the seed's dataplaneapi.yml, checking after each step where traffic goes.
 */
class SeedWorkflowIT {

    @Test
    void theSeedsCrudScriptsRunUnchangedAndTrafficFollowsEachStep() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("flagman.root", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        Process process = new ProcessBuilder(root.resolve("e2e/seed-workflow.sh").toString(), jar.toString())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(180, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as("finished within 180 s; output so far:%n%s", output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("passed, 0 failed").doesNotContain("FAIL");
    }
}
