package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, defect 5, as an operator meets it: the packaged {@code flagman check} used to say "valid" for a
 * configuration whose frontend is tcp (no {@code mode http}) and whose backend's {@code http-request return} can
 * therefore never run. Now it refuses it with the line and a hint, and accepts it once {@code mode http} is set.
 */
class CheckModesIT {

    /** The shape of the README tour's step 4 configuration before its fix: no mode anywhere. */
    private static final String TCP_BY_DEFAULT = """
            userlist controller
              user admin insecure-password secret

            defaults
              timeout connect 5s
              timeout client 30s
              timeout server 30s

            frontend web
              bind 127.0.0.1:8080
              use_backend api if { hdr(host) -i api.example.com }
              default_backend fallback

            backend api
              server a 127.0.0.1:9001

            backend fallback
              http-request return status 404 content-type text/plain string "no route"
            """;

    @TempDir
    Path dir;

    record Run(int exit, String output) {}

    private Run check(String text) throws IOException, InterruptedException {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, text);
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        Path log = dir.resolve("check.log");
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "check", cfg.getFileName().toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("flagman check did not finish within 60 s:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void rulesThatCannotRunInModeTcpAreErrorsWithTheirLineAndAHint() throws Exception {
        Run r = check(TCP_BY_DEFAULT);
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("haproxy.cfg:11:24: error: frontend 'web': the use_backend condition reads"
                        + " hdr, which needs mode http, and this frontend is in mode tcp")
                .contains("add 'mode http' to defaults or to frontend 'web'")
                .contains("haproxy.cfg:18:3: error: backend 'fallback': 'http-request' rules need mode http, and"
                        + " this backend is in mode tcp: this rule would never run")
                .contains("haproxy.cfg: invalid (2 errors)");
    }

    @Test
    void withModeHttpInDefaultsTheSameFileIsValid() throws Exception {
        Run r = check(TCP_BY_DEFAULT.replace("defaults\n", "defaults\n  mode http\n"));
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).isEqualTo("haproxy.cfg: valid\n");
    }

    @Test
    void missingTimeoutsAreAWarningAsInHaproxyAndTheFileStaysValid() throws Exception {
        Run r = check("""
                frontend web
                  mode http
                  bind 127.0.0.1:8080
                  default_backend app

                backend app
                  mode http
                  server a 127.0.0.1:9001
                """);
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("haproxy.cfg:1:10: warning: frontend 'web': missing timeouts: 'timeout"
                        + " client' is not set")
                .contains("haproxy.cfg:6:9: warning: backend 'app': missing timeouts: 'timeout connect', 'timeout"
                        + " server' are not set")
                .contains("haproxy.cfg: valid (2 warnings)");
    }
}
