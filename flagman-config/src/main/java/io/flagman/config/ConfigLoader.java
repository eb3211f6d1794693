package io.flagman.config;

import io.flagman.config.parse.ConfigParser;
import io.flagman.config.parse.ParseResult;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Diagnostic;
import io.flagman.config.text.Section;
import io.flagman.config.validate.ConfigValidator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a configuration through every layer: lexing, syntax and per-keyword meaning ({@link ConfigParser}),
 * then whole-configuration meaning ({@link ConfigValidator}). Never throws for a user's mistake: an unreadable
 * file is a diagnostic too. Stateless and thread-safe.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    /**
     * Reads {@code file} as UTF-8. Relative paths inside it ({@code errorfile}, {@code crt}, {@code lf-file},
     * {@code acl -f}) are resolved against the file's directory.
     */
    public static LoadResult load(Path file) {
        String name = file.toString();
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return unreadable(name, "is not valid UTF-8 text", "save the file as UTF-8");
        } catch (IOException | SecurityException e) {
            String reason = Files.isDirectory(file) ? "is a directory"
                    : !Files.exists(file) ? "does not exist" : "cannot be read (" + e.getClass().getSimpleName()
                            + (e.getMessage() != null ? ": " + e.getMessage() : "") + ")";
            return unreadable(name, reason, "check the path and the file's permissions");
        }
        Path dir = file.toAbsolutePath().getParent();
        return fromText(name, text, dir != null ? dir : Path.of("").toAbsolutePath());
    }

    /**
     * Checks configuration text.
     *
     * @param fileName the name diagnostics carry
     * @param baseDir the directory relative file names are resolved against
     */
    public static LoadResult fromText(String fileName, String text, Path baseDir) {
        ConfigDocument document = ConfigDocument.parse(fileName, text);
        List<Diagnostic> all = new ArrayList<>(document.lexErrors());
        ParseResult parsed = ConfigParser.parse(document);
        all.addAll(parsed.diagnostics());
        finalNewline(document, all);
        boolean syntaxOk = parsed.config() != null && all.stream().noneMatch(Diagnostic::isError);
        if (syntaxOk) {
            all.addAll(ConfigValidator.validate(parsed.config(), document, baseDir));
        } else {
            all.addAll(meaningDespiteSyntaxErrors(document, all, baseDir));
        }
        List<Diagnostic> sorted = all.stream().distinct().sorted(ORDER).toList();
        boolean valid = parsed.config() != null && sorted.stream().noneMatch(Diagnostic::isError);
        return new LoadResult(document, valid ? parsed.config() : null, sorted);
    }

    private static final Comparator<Diagnostic> ORDER = Comparator.comparingInt(Diagnostic::line)
            .thenComparingInt(Diagnostic::column);

    private static LoadResult unreadable(String name, String reason, String hint) {
        Diagnostic d = new Diagnostic(Diagnostic.Severity.ERROR, name, 0, 0, "configuration file '" + name + "' "
                + reason + " (expected: a readable UTF-8 text file)", hint);
        return new LoadResult(ConfigDocument.parse(name, ""), null, List.of(d));
    }

    /**
     * A last line without LF is refused, as HAProxy refuses it ("Missing LF on last line, file might have been
     * truncated"), whatever the line holds (a comment or blanks too): a file cut short while being copied must not
     * run as if it were whole.
     */
    private static void finalNewline(ConfigDocument document, List<Diagnostic> all) {
        List<ConfigLine> lines = document.lines();
        if (!lines.isEmpty() && lines.getLast().eol().isEmpty() && !lines.getLast().text().isEmpty()) {
            ConfigLine last = lines.getLast();
            all.add(new Diagnostic(Diagnostic.Severity.ERROR, document.fileName(), last.number(),
                    last.text().length() + 1, "missing newline at the end of the last line: the file might have"
                    + " been truncated", "end the file with a newline (HAProxy refuses such a file too)"));
        }
    }

    /**
     * Reports meaning errors (missing backends, unknown ACLs…) in the same run as syntax errors, so that an
     * operator fixes everything in one pass: the lines with syntax errors are blanked (line numbers stay) and the
     * rest is parsed and validated again. Not done when a section header is broken, since the lines below it
     * would then land in another section; validation errors that name a word of a blanked line are dropped, as
     * they are most likely consequences of the blanking.
     */
    private static List<Diagnostic> meaningDespiteSyntaxErrors(ConfigDocument document, List<Diagnostic> found,
            Path baseDir) {
        Set<Integer> broken = new TreeSet<>();
        for (Diagnostic d : found) {
            if (d.isError()) {
                if (d.line() < 1 || d.line() > document.lines().size()) {
                    return List.of();
                }
                broken.add(d.line());
            }
        }
        Set<String> blankedWords = new HashSet<>();
        ConfigDocument recovered = document;
        for (int number : broken) {
            ConfigLine l = document.line(number - 1);
            if (l.keyword() != null && Section.KEYWORDS.contains(l.keyword()) || isTopLevel(l)) {
                return List.of();
            }
            l.words().forEach(t -> blankedWords.add(t.value()));
            recovered = recovered.replace(number - 1, "");
        }
        ParseResult again = ConfigParser.parse(recovered);
        if (again.config() == null || again.diagnostics().stream().anyMatch(Diagnostic::isError)) {
            return List.of();
        }
        boolean modeBlanked = blankedWords.contains("mode");
        return ConfigValidator.validate(again.config(), document, baseDir).stream()
                .filter(Diagnostic::isError)
                .filter(d -> blankedWords.stream().noneMatch(w -> d.message().contains("'" + w + "'")))
                .filter(d -> !(modeBlanked && d.message().contains(" mode ")))
                .toList();
    }

    /** A line that starts at column 1 is where HAProxy expects a section keyword (a misspelled header). */
    private static boolean isTopLevel(ConfigLine line) {
        return !line.isBlankOrComment() && line.column(0) == 1;
    }
}
