package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.text.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code flagman check} and the real {@code haproxy -c} agree on valid/invalid for every corpus file, except
 * the intended differences of {@code corpus/differences.txt} (documented in docs/haproxy-differences.md), on
 * which they must still differ so that the list stays true. They also agree on HAProxy's mode-mismatch and
 * missing-timeouts warnings ({@link ModeWarnings}): Flagman reports each one, for the same proxy and line.
 *
 * <p>Needs Debian's haproxy (2.6) at /usr/sbin/haproxy or on PATH; fails, never skips, without it.
 */
class DifferentialCheckTest {

    private static final long HAPROXY_TIMEOUT_SECONDS = 20;
    private static final Map<String, HaproxyVerdict> HAPROXY = new ConcurrentHashMap<>();

    record HaproxyVerdict(boolean valid, String output) {}

    @BeforeAll
    static void runHaproxyOnTheWholeCorpus() {
        String haproxy = haproxyBinary();
        // One process per file, in parallel: the corpus is checked in a couple of seconds on two cores.
        Corpus.files().parallelStream().forEach(f -> HAPROXY.put(f, haproxyCheck(haproxy, f)));
    }

    @Test
    void corpusIsLargeAndBalanced() {
        List<String> files = Corpus.files();
        assertThat(files).hasSizeGreaterThanOrEqualTo(60);
        assertThat(files).filteredOn(Corpus::haproxySaysValid).hasSizeGreaterThanOrEqualTo(20);
        assertThat(files).filteredOn(f -> !Corpus.haproxySaysValid(f)).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void everyListedDifferenceIsACorpusFileAndIsDocumented() throws IOException {
        String docs = Files.readString(Corpus.docsDir().resolve("haproxy-differences.md"));
        for (Map.Entry<String, String> e : Corpus.differences().entrySet()) {
            assertThat(Corpus.files()).as("differences.txt names a corpus file").contains(e.getKey());
            assertThat(e.getValue()).as("reason for " + e.getKey()).isNotBlank();
            assertThat(docs).as("docs/haproxy-differences.md mentions " + e.getKey()).contains(e.getKey());
        }
    }

    @TestFactory
    Stream<DynamicTest> flagmanAgreesWithHaproxy() {
        Map<String, String> differences = Corpus.differences();
        return Corpus.files().stream().map(f -> DynamicTest.dynamicTest(f, () -> {
            HaproxyVerdict h = HAPROXY.get(f);
            assertThat(h.valid())
                    .as("haproxy -c verdict on %s matches its corpus directory; haproxy said:%n%s", f, h.output())
                    .isEqualTo(Corpus.haproxySaysValid(f));
            LoadResult r = ConfigLoader.load(Corpus.root().resolve(f));
            boolean flagmanValid = CheckCommand.exitCode(r) == 0;
            String flagmanSaid = r.diagnostics().stream().map(Diagnostic::format).collect(Collectors.joining("\n"));
            if (differences.containsKey(f)) {
                assertThat(flagmanValid)
                        .as("%s is listed in differences.txt (%s) but Flagman now agrees with haproxy; remove it"
                                + " from the list and the docs. Flagman said:%n%s", f, differences.get(f), flagmanSaid)
                        .isNotEqualTo(h.valid());
            } else {
                assertThat(flagmanValid)
                        .as("flagman check vs haproxy -c on %s%nhaproxy said:%n%s%nflagman said:%n%s",
                                f, h.output(), flagmanSaid)
                        .isEqualTo(h.valid());
            }
        }));
    }

    /**
     * Every mode-mismatch and missing-timeouts warning haproxy prints for a corpus file is reported by Flagman too
     * (as a warning, or as an error where Flagman is stricter on purpose), for the same proxy and, where haproxy
     * names one, on the same line. The other way round, every such Flagman diagnostic has its haproxy warning,
     * in the files haproxy checked to the end (valid ones, and those refused only for incompatible modes). What
     * Flagman reports beyond haproxy's subjects (http fetches in a tcp proxy, useless HTTP settings, a tcp frontend
     * using an http backend) is its own, documented in docs/haproxy-differences.md.
     */
    @TestFactory
    Stream<DynamicTest> flagmanReportsHaproxysModeWarnings() {
        return Corpus.files().stream().map(f -> DynamicTest.dynamicTest(f, () -> {
            HaproxyVerdict h = HAPROXY.get(f);
            LoadResult r = ConfigLoader.load(Corpus.root().resolve(f));
            java.util.Set<ModeWarnings.Key> haproxy = ModeWarnings.haproxy(h.output());
            java.util.Set<ModeWarnings.Key> flagman = ModeWarnings.flagman(r.diagnostics());
            String said = r.diagnostics().stream().map(Diagnostic::format).collect(Collectors.joining("\n"));
            assertThat(ModeWarnings.unmatched(haproxy, flagman))
                    .as("haproxy's mode warnings on %s that flagman does not report%nhaproxy said:%n%s%n"
                            + "flagman said:%n%s", f, h.output(), said)
                    .isEmpty();
            if (h.valid() || h.output().contains("tries to use incompatible")) {
                assertThat(ModeWarnings.unmatched(flagman, haproxy))
                        .as("flagman's mode diagnostics on %s that haproxy does not print%nhaproxy said:%n%s%n"
                                + "flagman said:%n%s", f, h.output(), said)
                        .isEmpty();
            }
        }));
    }

    @Test
    void theCorpusCoversEveryModeWarningSubject() {
        java.util.Set<String> seen = new java.util.TreeSet<>();
        Corpus.files().forEach(f -> ModeWarnings.haproxy(HAPROXY.get(f).output()).forEach(k -> seen.add(k.subject())));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ModeWarnings.SUBJECTS);
        assertThat(Corpus.files()).filteredOn(f -> f.contains("/mode-")).hasSizeGreaterThanOrEqualTo(15);
    }

    static String haproxyBinary() {
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy"))) {
                    return Path.of(dir, "haproxy").toString();
                }
            }
        }
        return fail("the differential tests need the real HAProxy: install it with"
                + " 'sudo apt-get install haproxy' (Debian/Ubuntu; .ci/run does this) and run the tests again");
    }

    /** {@code haproxy -c -f FILE} in the file's directory, so relative paths resolve as Flagman resolves them. */
    private static HaproxyVerdict haproxyCheck(String haproxy, String file) {
        Path cfg = Corpus.root().resolve(file);
        Path log = null;
        try {
            // Output goes to a file, not a pipe, so a chatty haproxy can never block before the timeout.
            log = Files.createTempFile("haproxy-check", ".log");
            Process p = new ProcessBuilder(haproxy, "-c", "-f", cfg.getFileName().toString())
                    .directory(cfg.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(HAPROXY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fail("haproxy -c -f " + file + " did not finish within " + HAPROXY_TIMEOUT_SECONDS + "s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            return new HaproxyVerdict(p.exitValue() == 0, output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + haproxy, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
