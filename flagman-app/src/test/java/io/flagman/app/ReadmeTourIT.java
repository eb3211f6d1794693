package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's five-minute tour as written, so the front door cannot drift from what Flagman does.
 *
 * <p>The tour is read from README.md: in a {@code ```console} block every line starting with {@code $ } is a
 * command, and the lines up to the next command are its expected output; a {@code ```haproxy file=NAME} block
 * is the content of NAME, written when the tour reaches it. The commands run literally, in order, in one bash
 * shell (variables carry over), from a directory laid out like a fresh clone (bin/flagman, bin/lib, examples/,
 * the packaged jar where bin/flagman looks for it), inside a private network namespace so that the tour's
 * fixed ports (8080, 5555, 9001) are free and private. A command ending with {@code &} runs in the background
 * like in a terminal; the lines the README shows for it must appear in its output in that order (it may print
 * more, e.g. access logs), and the tour continues only once they have. A foreground command's output (stdout
 * and stderr together, as a terminal shows them) must equal the README's lines exactly.
 */
class ReadmeTourIT {

    private static final String FENCE = "```";

    sealed interface Step permits Command, FileBlock {}

    record Command(int line, String text, List<String> expected) implements Step {
        boolean background() {
            String t = text.strip();
            return t.endsWith("&") && !t.endsWith("&&");
        }

        String foregroundText() {
            String t = text.strip();
            return t.substring(0, t.length() - 1).strip();
        }
    }

    record FileBlock(int line, String name, String content) implements Step {}

    @Test
    void theReadmeTourRunsAsWritten(@TempDir Path temp) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("flagman.root", "..")).toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("flagman.jar", "target/flagman.jar")).toAbsolutePath();
        List<Step> tour = parse(Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8));
        List<Command> commands = tour.stream().filter(Command.class::isInstance).map(Command.class::cast).toList();
        assertThat(commands).as("console commands in README.md").hasSizeGreaterThan(10);
        assertThat(commands).as("the tour starts Flagman as step 1 says")
                .anyMatch(c -> c.text().strip().equals("bin/flagman run &"));
        for (Command c : commands) {
            assertThat(!c.background() || !c.expected().isEmpty() || !c.text().contains("flagman"))
                    .as("README.md:%d: a Flagman started in the background shows what it prints, so the tour"
                            + " knows when it is up", c.line())
                    .isTrue();
        }

        Path clone = freshClone(root, jar, temp.resolve("clone"));
        Path harness = Files.createDirectories(temp.resolve("harness"));
        Path script = writeScript(tour, clone, harness);

        Process process = new ProcessBuilder("unshare", "--net", "bash", script.toString())
                .directory(clone.toFile())
                .redirectErrorStream(true)
                .redirectOutput(harness.resolve("tour.log").toFile())
                .start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(240, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String log = Files.readString(harness.resolve("tour.log"));
        assertThat(finished).as("the tour finished within 240 s; harness log:%n%s", log).isTrue();

        List<String> drift = new ArrayList<>();
        for (int i = 0; i < tour.size(); i++) {
            if (tour.get(i) instanceof Command c) {
                Path out = harness.resolve("out-" + i);
                List<String> actual = Files.exists(out) ? lines(Files.readString(out)) : List.of("(never ran)");
                boolean matches = c.background() ? isSubsequence(c.expected(), actual) : c.expected().equals(actual);
                if (!matches) {
                    drift.add("README.md:%d: $ %s%n  README shows%s:%n%s%n  Flagman printed:%n%s".formatted(
                            c.line(), c.text(), c.background() ? " (in this order, among other lines)" : "",
                            indent(c.expected()), indent(actual)));
                }
            }
        }
        assertThat(drift).as("the README tour drifted from what Flagman does; harness log:%n%s", log).isEmpty();
    }

    /** The tour's steps in document order: console commands with their expected output, and config files. */
    static List<Step> parse(List<String> readme) {
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < readme.size()) {
            String fence = readme.get(i).strip();
            if (!fence.startsWith(FENCE)) {
                i++;
                continue;
            }
            String[] info = fence.substring(FENCE.length()).strip().split("\\s+");
            int open = i + 1;
            int close = open;
            while (close < readme.size() && !readme.get(close).strip().equals(FENCE)) {
                close++;
            }
            List<String> body = readme.subList(open, Math.min(close, readme.size()));
            if (info[0].equals("console")) {
                steps.addAll(commands(body, open + 1));
            } else if (info.length > 1 && info[1].startsWith("file=")) {
                steps.add(new FileBlock(open, info[1].substring("file=".length()), String.join("\n", body) + "\n"));
            }
            i = close + 1;
        }
        return steps;
    }

    private static List<Command> commands(List<String> body, int firstLine) {
        List<Command> commands = new ArrayList<>();
        for (int j = 0; j < body.size(); j++) {
            String line = body.get(j);
            if (line.startsWith("$ ")) {
                commands.add(new Command(firstLine + j, line.substring(2), new ArrayList<>()));
            } else if (!commands.isEmpty()) {
                commands.getLast().expected().add(line);
            } else {
                throw new IllegalArgumentException("README.md:" + (firstLine + j)
                        + ": a console block starts with output, not with a '$ ' command");
            }
        }
        return commands.stream().map(c -> new Command(c.line(), c.text(), trimTrailingBlank(c.expected())))
                .toList();
    }

    /** A directory laid out like a fresh clone: the real launcher finds the packaged jar where it builds it. */
    private static Path freshClone(Path root, Path jar, Path clone) throws IOException {
        Files.createDirectories(clone.resolve("bin/lib"));
        Files.copy(root.resolve("bin/flagman"), clone.resolve("bin/flagman"));
        Files.copy(root.resolve("bin/lib/java.sh"), clone.resolve("bin/lib/java.sh"));
        clone.resolve("bin/flagman").toFile().setExecutable(true);
        Path examples = Files.createDirectories(clone.resolve("examples"));
        try (Stream<Path> files = Files.list(root.resolve("examples"))) {
            for (Path f : files.toList()) {
                Files.copy(f, examples.resolve(f.getFileName()));
            }
        }
        Path target = Files.createDirectories(clone.resolve("flagman-app/target"));
        Files.copy(jar, target.resolve("flagman.jar"));
        return clone;
    }

    /**
     * One bash script for the whole tour: each command's output goes to harness/out-N; a background command
     * is awaited (bounded) until the lines the README shows for it have appeared; everything started is
     * stopped when the script ends.
     */
    private static Path writeScript(List<Step> tour, Path clone, Path harness) throws IOException {
        StringBuilder sh = new StringBuilder("""
                set -u
                ip link set lo up
                cd %s
                trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT
                await_lines() { # OUTPUT EXPECTED PID: until each line of EXPECTED is in OUTPUT, PID ends or 60 s pass
                  local deadline=$((SECONDS + 60)) line missing
                  while ((SECONDS < deadline)) && kill -0 "$3" 2>/dev/null; do
                    missing=0
                    while IFS= read -r line; do grep -Fxq -- "$line" "$1" 2>/dev/null || missing=1; done <"$2"
                    ((missing == 0)) && return 0
                    sleep 0.1
                  done
                  echo "tour: stopped waiting for the lines of $2 in $1"
                }
                """.formatted(quote(clone.toString())));
        for (int i = 0; i < tour.size(); i++) {
            Path out = harness.resolve("out-" + i);
            switch (tour.get(i)) {
                case FileBlock f -> {
                    Path content = Files.writeString(harness.resolve("file-" + i), f.content());
                    sh.append("cp %s %s\n".formatted(quote(content.toString()), quote(f.name())));
                }
                case Command c when c.background() -> {
                    sh.append("%s >%s 2>&1 &\n".formatted(c.foregroundText(), quote(out.toString())));
                    if (!c.expected().isEmpty()) {
                        Path expected = Files.write(harness.resolve("expected-" + i), c.expected());
                        sh.append("await_lines %s %s $!\n".formatted(quote(out.toString()), quote(expected.toString())));
                    }
                }
                case Command c -> sh.append("{ %s\n} >%s 2>&1 </dev/null\n".formatted(c.text(), quote(out.toString())));
            }
        }
        return Files.writeString(harness.resolve("tour.sh"), sh);
    }

    private static boolean isSubsequence(List<String> expected, List<String> actual) {
        int next = 0;
        for (String line : actual) {
            if (next < expected.size() && line.equals(expected.get(next))) {
                next++;
            }
        }
        return next == expected.size();
    }

    private static List<String> lines(String text) {
        return trimTrailingBlank(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
    }

    private static List<String> trimTrailingBlank(List<String> lines) {
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isBlank()) {
            end--;
        }
        return List.copyOf(lines.subList(0, end));
    }

    private static String indent(List<String> lines) {
        return lines.isEmpty() ? "    (nothing)" : "    " + String.join("\n    ", lines);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
