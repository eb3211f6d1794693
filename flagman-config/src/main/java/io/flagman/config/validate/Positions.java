package io.flagman.config.validate;

import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Section;
import io.flagman.config.text.Token;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds the column of a value on a source line, so that diagnostics point at the offending word. Without a
 * document (a model built by the API) every column is 0, which {@code Diagnostic.format()} leaves out.
 */
final class Positions {

    private final ConfigDocument document;

    /** @param document the source, or null when the model was not read from text */
    Positions(ConfigDocument document) {
        this.document = document;
    }

    /** The source line (1-based), or null when unknown. */
    ConfigLine line(int number) {
        if (document == null || number < 1 || number > document.lines().size()) {
            return null;
        }
        return document.line(number - 1);
    }

    /** The column of word {@code index} on the line, 0 when unknown. */
    int word(int lineNumber, int index) {
        ConfigLine l = line(lineNumber);
        return l == null || index >= l.words().size() ? 0 : l.column(index);
    }

    /**
     * The column where {@code value} appears on the line, searching from word {@code fromWord}: a word equal to
     * it, the same word negated ({@code !name}), or a word containing it (e.g. {@code http_auth(users)}). 0 when
     * not found.
     */
    int find(int lineNumber, String value, int fromWord) {
        ConfigLine l = line(lineNumber);
        if (l == null || value == null || value.isEmpty()) {
            return 0;
        }
        for (int i = fromWord; i < l.words().size(); i++) {
            Token t = l.words().get(i);
            if (t.value().equals(value)) {
                return t.column();
            }
            if (t.value().equals("!" + value)) {
                return t.column() + 1;
            }
        }
        for (int i = fromWord; i < l.words().size(); i++) {
            Token t = l.words().get(i);
            int at = t.raw().indexOf(value);
            if (at >= 0) {
                return t.column() + at;
            }
        }
        return 0;
    }

    int find(int lineNumber, String value) {
        return find(lineNumber, value, 1);
    }

    /**
     * The line of the last directive matching {@code test} in the section whose header is on
     * {@code headerLine}; when there is none (the directive came from a {@code defaults} section), the first
     * matching line anywhere in the document; 0 when not found or without a document.
     */
    int directive(int headerLine, Predicate<ConfigLine> test) {
        if (document == null) {
            return 0;
        }
        List<ConfigLine> lines = document.lines();
        int found = 0;
        for (int i = headerLine; headerLine > 0 && i < lines.size(); i++) {
            ConfigLine l = lines.get(i);
            if (l.keyword() != null && Section.KEYWORDS.contains(l.keyword())) {
                break;
            }
            if (!l.isBlankOrComment() && test.test(l)) {
                found = l.number();
            }
        }
        if (found > 0) {
            return found;
        }
        for (ConfigLine l : lines) {
            if (!l.isBlankOrComment() && test.test(l)) {
                return l.number();
            }
        }
        return 0;
    }

    /** {@link #directive} for lines starting with {@code keyword} whose word 1 is {@code firstArg}. */
    int directive(int headerLine, String keyword, String firstArg) {
        return directive(headerLine, l -> keyword.equals(l.keyword()) && (firstArg == null || firstArg.equals(l.word(1))));
    }
    /**
     * The line of the directive matching {@code test} that is in force for the proxy whose header is on
     * {@code headerLine}: the last one in its own section, else the last one in the defaults section it inherits
     * from (the one its header names with {@code from}, or the last {@code defaults} above it), following that
     * section's own {@code from}; 0 when none or without a document.
     */
    int inherited(int headerLine, Predicate<ConfigLine> test) {
        if (document == null) {
            return 0;
        }
        Section section = sectionAt(headerLine);
        for (int hops = 0; section != null && hops <= document.sections().size(); hops++) {
            int found = last(section, test);
            if (found > 0) {
                return found;
            }
            section = parentDefaults(section);
        }
        return 0;
    }

    /** The line of the last directive matching {@code test} in the section whose header is on {@code headerLine}. */
    int own(int headerLine, Predicate<ConfigLine> test) {
        Section section = document == null ? null : sectionAt(headerLine);
        return section == null ? 0 : last(section, test);
    }

    private int last(Section section, Predicate<ConfigLine> test) {
        int found = 0;
        for (int i = section.header() + 1; i < section.end(); i++) {
            ConfigLine l = document.line(i);
            if (!l.isBlankOrComment() && test.test(l)) {
                found = l.number();
            }
        }
        return found;
    }

    /** {@link #inherited} for lines starting with {@code keyword} whose word 1 is {@code firstArg} (any if null). */
    int inherited(int headerLine, String keyword, String firstArg) {
        return inherited(headerLine, l -> keyword.equals(l.keyword())
                && (firstArg == null || firstArg.equals(l.word(1))));
    }

    private Section sectionAt(int headerLine) {
        for (Section s : document.sections()) {
            if (s.header() + 1 == headerLine) {
                return s;
            }
        }
        return null;
    }

    /** The defaults section {@code s} inherits from, or null (a defaults section without 'from' starts afresh). */
    private Section parentDefaults(Section s) {
        ConfigLine header = document.line(s.header());
        boolean defaults = "defaults".equals(s.keyword());
        int from = header.words().size();
        for (int i = 1; i < header.words().size(); i++) {
            if ("from".equals(header.word(i))) {
                from = i;
            }
        }
        String parent = header.word(from + 1);
        Section found = null;
        for (Section d : document.sections()) {
            if (d.header() >= s.header()) {
                break;
            }
            if (!"defaults".equals(d.keyword())) {
                continue;
            }
            if (parent == null ? !defaults : parent.equals(defaultsName(d))) {
                found = d;
            }
        }
        return found;
    }

    private String defaultsName(Section d) {
        String name = document.line(d.header()).word(1);
        return name == null || name.equals("from") ? null : name;
    }
}
