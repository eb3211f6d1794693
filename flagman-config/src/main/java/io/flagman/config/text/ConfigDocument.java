package io.flagman.config.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A configuration file as lines, kept byte for byte: {@link #text()} returns exactly the text it was parsed
 * from. Edits return a new document in which only the touched lines differ; every other line, comment and
 * blank line stays as it was. Immutable.
 */
public final class ConfigDocument {

    private final String fileName;
    private final List<ConfigLine> lines;
    private final List<Diagnostic> lexErrors;
    private final List<Section> sections;
    private final Function<String, String> environment;

    private ConfigDocument(String fileName, List<ConfigLine> lines, List<Diagnostic> lexErrors,
            Function<String, String> environment) {
        this.fileName = fileName;
        this.lines = List.copyOf(lines);
        this.lexErrors = List.copyOf(lexErrors);
        this.environment = environment;
        this.sections = findSections(this.lines);
    }

    /** Parses with the process environment for {@code "${VAR}"}. */
    public static ConfigDocument parse(String fileName, String text) {
        return parse(fileName, text, System::getenv);
    }

    public static ConfigDocument parse(String fileName, String text, Function<String, String> environment) {
        ConfigLexer lexer = new ConfigLexer(environment);
        List<ConfigLine> lines = new ArrayList<>();
        List<Diagnostic> errors = new ArrayList<>();
        int pos = 0;
        int number = 1;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            String body;
            String eol;
            if (nl < 0) {
                body = text.substring(pos);
                eol = "";
                pos = text.length();
            } else {
                boolean crlf = nl > pos && text.charAt(nl - 1) == '\r';
                body = text.substring(pos, crlf ? nl - 1 : nl);
                eol = crlf ? "\r\n" : "\n";
                pos = nl + 1;
            }
            ConfigLexer.Result r = lexer.split(body);
            if (r.error() != null) {
                errors.add(new Diagnostic(Diagnostic.Severity.ERROR, fileName, number, r.errorColumn(), r.error(),
                        "close the quote or escape the character with a backslash"));
            }
            lines.add(new ConfigLine(number, body, eol, r.error() != null ? List.of() : r.words(), r.comment()));
            number++;
        }
        return new ConfigDocument(fileName, lines, errors, environment);
    }

    public String fileName() {
        return fileName;
    }

    public List<ConfigLine> lines() {
        return lines;
    }

    public ConfigLine line(int index) {
        return lines.get(index);
    }

    /** Errors from splitting lines into words (unterminated quotes, bad escapes). */
    public List<Diagnostic> lexErrors() {
        return lexErrors;
    }

    public List<Section> sections() {
        return sections;
    }

    /** The first section with this keyword and name, or null. */
    public Section section(String keyword, String name) {
        for (Section s : sections) {
            if (s.keyword().equals(keyword) && java.util.Objects.equals(s.name(), name)) {
                return s;
            }
        }
        return null;
    }

    /** The exact text of the document. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (ConfigLine l : lines) {
            out.append(l.text()).append(l.eol());
        }
        return out.toString();
    }

    /** Indices (0-based) of the lines in {@code section} whose first word is {@code keyword}, in file order. */
    public List<Integer> directives(Section section, String keyword) {
        List<Integer> found = new ArrayList<>();
        for (int i = section.header() + 1; i < section.end(); i++) {
            if (keyword.equals(lines.get(i).keyword())) {
                found.add(i);
            }
        }
        return found;
    }

    /** Index one past the last non-blank, non-comment line of the section (where new directives go). */
    public int endOfDirectives(Section section) {
        int last = section.header();
        for (int i = section.header() + 1; i < section.end(); i++) {
            if (!lines.get(i).isBlankOrComment()) {
                last = i;
            }
        }
        return last + 1;
    }

    /** The indentation used by the section's directives ("  " when it has none). */
    public String indentOf(Section section) {
        for (int i = section.header() + 1; i < section.end(); i++) {
            ConfigLine l = lines.get(i);
            if (!l.isBlankOrComment() && !l.indent().isEmpty()) {
                return l.indent();
            }
        }
        return "  ";
    }

    /** A canonical directive line: the section's indentation, then each word quoted only where needed. */
    public String directiveText(Section section, List<String> words) {
        return indentOf(section) + joinWords(words);
    }

    public static String joinWords(List<String> words) {
        StringBuilder out = new StringBuilder();
        for (String w : words) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(ConfigLexer.quote(w));
        }
        return out.toString();
    }

    /** Inserts lines before index {@code at} (0 ≤ at ≤ size). */
    public ConfigDocument insert(int at, List<String> newLines) {
        List<String> texts = texts();
        String eol = dominantEol();
        List<String> eols = eols();
        // A document whose last line has no terminator gets one when lines are appended after it.
        if (at == texts.size() && !eols.isEmpty() && eols.getLast().isEmpty()) {
            eols.set(eols.size() - 1, eol);
        }
        texts.addAll(at, newLines);
        eols.addAll(at, Collections.nCopies(newLines.size(), eol));
        return rebuild(texts, eols);
    }

    public ConfigDocument replace(int index, String newLine) {
        List<String> texts = texts();
        texts.set(index, newLine);
        return rebuild(texts, eols());
    }

    /** Removes lines {@code from} (inclusive) to {@code to} (exclusive). */
    public ConfigDocument remove(int from, int to) {
        List<String> texts = texts();
        List<String> eols = eols();
        texts.subList(from, to).clear();
        eols.subList(from, to).clear();
        return rebuild(texts, eols);
    }

    /** Appends a new section at the end, separated from the previous content by one blank line. */
    public ConfigDocument appendSection(String header, List<List<String>> directives) {
        List<String> block = new ArrayList<>();
        if (!lines.isEmpty() && !lines.getLast().text().isBlank()) {
            block.add("");
        }
        block.add(header);
        for (List<String> words : directives) {
            block.add("  " + joinWords(words));
        }
        return insert(lines.size(), block);
    }

    /** Removes a whole section, and the blank lines just before it so no double gap is left. */
    public ConfigDocument removeSection(Section section) {
        int from = section.header();
        while (from > 0 && lines.get(from - 1).text().isBlank()) {
            from--;
        }
        int to = section.end();
        if (from == 0) {
            while (to < lines.size() && lines.get(to).text().isBlank()) {
                to++;
            }
        }
        return remove(from, to);
    }

    /** Same text, re-read (e.g. after the environment changed). */
    public ConfigDocument withText(String text) {
        return parse(fileName, text, environment);
    }

    private ConfigDocument rebuild(List<String> texts, List<String> eols) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            out.append(texts.get(i)).append(eols.get(i));
        }
        return parse(fileName, out.toString(), environment);
    }

    private List<String> texts() {
        List<String> t = new ArrayList<>();
        for (ConfigLine l : lines) {
            t.add(l.text());
        }
        return t;
    }

    private List<String> eols() {
        List<String> t = new ArrayList<>();
        for (ConfigLine l : lines) {
            t.add(l.eol());
        }
        return t;
    }

    private String dominantEol() {
        long crlf = lines.stream().filter(l -> l.eol().equals("\r\n")).count();
        long lf = lines.stream().filter(l -> l.eol().equals("\n")).count();
        return crlf > lf ? "\r\n" : "\n";
    }

    private static List<Section> findSections(List<ConfigLine> lines) {
        List<Section> found = new ArrayList<>();
        int currentHeader = -1;
        String keyword = null;
        String name = null;
        for (int i = 0; i < lines.size(); i++) {
            String kw = lines.get(i).keyword();
            if (kw != null && Section.KEYWORDS.contains(kw)) {
                if (currentHeader >= 0) {
                    found.add(new Section(keyword, name, currentHeader, i));
                }
                currentHeader = i;
                keyword = kw;
                name = lines.get(i).word(1);
            }
        }
        if (currentHeader >= 0) {
            found.add(new Section(keyword, name, currentHeader, lines.size()));
        }
        return List.copyOf(found);
    }
}
