package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flagman check}: the seed configurations are valid, and a typo'd copy gets precise diagnostics. */
class CheckCommandTest {

    record Run(int exit, String out, String err) {}

    static Run check(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CheckCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static String corpus(String file) {
        return Corpus.root().resolve(file).toString();
    }

    @Test
    void seedWorkerConfigIsValid() {
        Run r = check(corpus("valid/seed-worker.cfg"));
        assertThat(r.err()).doesNotContain("error:");
        assertThat(r.out()).isEqualTo(corpus("valid/seed-worker.cfg") + ": valid" + summaryWarnings(r) + "\n");
        assertThat(r.exit()).isZero();
    }

    @Test
    void seedLoadBalancerConfigIsValid() {
        Run r = check(corpus("valid/seed-lb.cfg"));
        assertThat(r.err()).doesNotContain("error:");
        assertThat(r.exit()).isZero();
    }

    @Test
    void typosInTheSeedWorkerConfigGetThreePreciseErrorsWithHints() {
        String file = corpus("invalid/seed-worker-typos.cfg");
        Run r = check(file);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(errorLines(r.err())).isEqualTo(String.join("\n",
                file + ":22:15: error: frontend 'http-in': use_backend 'fallback-backnd' does not exist"
                        + " (expected: one of the backends: fallback-backend); did you mean 'fallback-backend'?",
                file + ":23:3: error: unknown keyword 'defualt_backend' in a frontend; did you mean 'default_backend'?",
                file + ":27:11: error: unknown balance algorithm 'roundrobbin'; did you mean 'roundrobin'? valid"
                        + " algorithms: roundrobin, static-rr, leastconn, first, source, uri, url_param, hdr, random"));
        assertThat(r.out()).isEqualTo(file + ": invalid (3 errors" + warningsAfterErrors(r) + ")\n");
    }

    @Test
    void jsonReportsValidityAndEveryDiagnosticWithEscaping() {
        Run r = check("--json", corpus("invalid/seed-worker-typos.cfg"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("{\"valid\":false,\"diagnostics\":[{\"severity\":\"warning\",\"file\":\"");
        assertThat(r.out()).contains("\"line\":22,\"column\":15,\"message\":\"frontend 'http-in': use_backend"
                + " 'fallback-backnd' does not exist (expected: one of the backends: fallback-backend)\","
                + "\"hint\":\"did you mean 'fallback-backend'?\"}");
        assertThat(r.out().strip()).endsWith("]}");

        Run ok = check("--json", corpus("valid/seed-worker.cfg"));
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).startsWith("{\"valid\":true,\"diagnostics\":[");
    }

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("q\"uote\\d.cfg");
        Files.writeString(cfg, "global\n    maxcon\t1\n");
        Run r = check("--json", cfg.toString());
        assertThat(r.out()).contains("\"file\":\"" + cfg.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        assertThat(r.out()).doesNotContain("\t");
    }

    @Test
    void unreadableFileIsADiagnosticNotACrash(@TempDir Path dir) {
        String missing = dir.resolve("nope.cfg").toString();
        Run r = check(missing);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith(missing + ": error: configuration file '" + missing + "' does not exist");
        assertThat(r.out()).isEqualTo(missing + ": invalid (1 error)\n");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(check().exit()).isEqualTo(2);
        assertThat(check("--no-such-flag", "x.cfg").exit()).isEqualTo(2);
    }

    private static String errorLines(String err) {
        return err.lines().filter(l -> l.contains(": error: ")).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String summaryWarnings(Run r) {
        long w = r.err().lines().filter(l -> l.contains(": warning: ")).count();
        return w == 0 ? "" : " (" + w + (w == 1 ? " warning)" : " warnings)");
    }

    private static String warningsAfterErrors(Run r) {
        long w = r.err().lines().filter(l -> l.contains(": warning: ")).count();
        return w == 0 ? "" : ", " + w + (w == 1 ? " warning" : " warnings");
    }
}
