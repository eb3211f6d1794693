package io.flagman.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The differential corpus under {@code src/test/resources/corpus}: {@code valid/} and {@code invalid/} hold
 * configurations by HAProxy's verdict ({@code haproxy -c}); {@code differences.txt} lists the files on which
 * Flagman's verdict is intentionally different, each with its reason.
 */
final class Corpus {

    private Corpus() {}

    static Path root() {
        return resource("corpus");
    }

    static Path resource(String name) {
        URL url = Corpus.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource '" + name + "' not found on the class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository's docs/ directory (tests run in the module directory). */
    static Path docsDir() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.exists(p.resolve("flagman-app"))) {
                return p.resolve("docs");
            }
        }
        throw new IllegalStateException("docs/ not found above " + here);
    }

    /** Every corpus file as {@code valid/x.cfg} or {@code invalid/y.cfg}, sorted. */
    static List<String> files() {
        try (Stream<Path> s = Stream.concat(Files.list(root().resolve("valid")), Files.list(root().resolve("invalid")))) {
            return s.filter(p -> p.toString().endsWith(".cfg"))
                    .map(p -> root().relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** HAProxy's verdict as the corpus records it: the directory the file is in. */
    static boolean haproxySaysValid(String file) {
        return file.startsWith("valid/");
    }

    /** {@code differences.txt}: file → reason ({@code #} comments and blank lines ignored). */
    static Map<String, String> differences() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(root().resolve("differences.txt"))) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] parts = l.split("\\s+", 2);
                out.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
