package io.flagman.proxy.rule;

import io.flagman.config.model.AclTest;
import io.flagman.config.model.Match;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Compiles one {@link AclTest} (fetch, match, flags, patterns, pattern files) into a predicate. */
final class AclCompiler {

    private AclCompiler() {}

    static RequestPredicate compile(AclTest test) {
        Fetches.Resolved resolved = Fetches.resolve(test.fetch().name());
        Sampler sampler = Fetches.compile(resolved.name(), test.fetch());
        Match match = test.match() != null ? test.match()
                : resolved.impliedMatch() != null ? resolved.impliedMatch()
                : Fetches.defaultMatch(resolved.name());
        List<String> patterns = patterns(test);
        if (patterns.isEmpty() && match != Match.FOUND && match != Match.BOOL) {
            // HAProxy: an ACL without pattern never matches, except for the boolean and presence tests.
            return s -> false;
        }
        ValueMatcher matcher = Fetches.withConverters(sampler, Matchers.compile(match, test.ignoreCase(), patterns));
        Sampler fetch = Fetches.unconverted(sampler);
        return s -> fetch.anyMatch(s, matcher);
    }

    /** The inline patterns followed by those of each {@code -f} file (one per line, '#' comments, blanks skipped). */
    private static List<String> patterns(AclTest test) {
        if (test.patternFiles().isEmpty()) {
            return test.patterns();
        }
        List<String> all = new ArrayList<>(test.patterns());
        for (String file : test.patternFiles()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read pattern file '" + file + "': " + e.getMessage(),
                        new UncheckedIOException(e));
            }
            for (String line : lines) {
                String p = line.strip();
                if (!p.isEmpty() && !p.startsWith("#")) {
                    all.add(p);
                }
            }
        }
        return all;
    }
}
