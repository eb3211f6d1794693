package io.flagman.config.edit;

import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Section;
import io.flagman.config.text.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Loss-free edits of a {@link ConfigDocument}: each returns a new document in which only the lines the edit is
 * about changed; every other line, comment and blank line keeps its bytes and its place. New lines use the
 * section's indentation and the text of their {@link Words} (values quoted only where needed, raw text as given).
 * This is the one edit path: the Data Plane API writes through it.
 *
 * <p>Sections are addressed by keyword and name; an anonymous section ({@code defaults} without a name) is
 * {@code unnamed_<keyword>_<n>}, as the Data Plane API names it. A missing parent section is
 * {@link EditException.Kind#MISSING_PARENT} for inserts and {@link EditException.Kind#NOT_FOUND} for reads,
 * replacements and removals (the API answers 400 and 404).
 */
public final class ConfigEditor {

    /** Keywords of rules that may name an ACL: a new ACL goes before the first of them. */
    private static final Set<String> ACL_USERS = Set.of("http-request", "http-response", "use_backend", "use-server",
            "default_backend");

    /** Where the first line of a family goes when the family is empty: before the first of these, if any. */
    private static final Map<String, Set<String>> GOES_BEFORE = Map.of(
            "acl", ACL_USERS,
            "use_backend", Set.of("default_backend"));

    /** Sections that go before the proxies (after the last of their kind) rather than at the end. */
    private static final Set<String> LEADING = Set.of("global", "defaults", "userlist");
    private static final Set<String> PROXIES = Set.of("frontend", "backend", "listen");

    private ConfigEditor() {}

    // ---- reading ----

    /** The sections of a kind, in file order. */
    public static List<Section> sections(ConfigDocument doc, String keyword) {
        return doc.sections().stream().filter(s -> s.keyword().equals(keyword)).toList();
    }

    /** The section of this kind and name ({@code null} for the first anonymous one), or null. */
    public static Section section(ConfigDocument doc, String keyword, String name) {
        for (Section s : doc.sections()) {
            if (s.keyword().equals(keyword) && (name == null ? s.name() == null : name.equals(name(doc, s)))) {
                return s;
            }
        }
        return null;
    }

    /** A section's name; an anonymous one is {@code unnamed_<keyword>_<n>} (n counts from 1 per keyword). */
    public static String name(ConfigDocument doc, Section s) {
        if (s.name() != null) {
            return s.name();
        }
        int n = 0;
        for (Section other : doc.sections()) {
            if (other.keyword().equals(s.keyword()) && other.name() == null) {
                n++;
                if (other.header() == s.header()) {
                    break;
                }
            }
        }
        return "unnamed_" + s.keyword() + "_" + n;
    }

    /** Line indices of the family in the section, in file order; empty when the section does not exist. */
    public static List<Integer> lines(ConfigDocument doc, String keyword, String name, Set<String> family) {
        Section s = section(doc, keyword, name);
        return s == null ? List.of() : family(doc, s, family);
    }

    /** Directive lines (neither blank nor comment) of a section, header excluded. */
    public static List<Integer> directives(ConfigDocument doc, Section s) {
        List<Integer> out = new ArrayList<>();
        for (int i = s.header() + 1; i < s.end(); i++) {
            if (!doc.line(i).isBlankOrComment()) {
                out.add(i);
            }
        }
        return out;
    }

    /** The line index of a named child ({@link #childName}), or -1 (also when the section does not exist). */
    public static int named(ConfigDocument doc, String keyword, String name, String childKeyword,
            String childName) {
        Section s = section(doc, keyword, name);
        return s == null ? -1 : named(doc, s, childKeyword, childName);
    }

    /**
     * The name of a child line: the second word ({@code server s1 …}, {@code user admin …}); for a bind the value
     * of its {@code name} option, else its address (as the Data Plane API names unnamed binds).
     */
    public static String childName(ConfigLine l) {
        if ("bind".equals(l.keyword())) {
            for (int i = 2; i + 1 < l.words().size(); i++) {
                if (l.word(i).equals("name")) {
                    return l.word(i + 1);
                }
            }
        }
        return l.word(1);
    }

    // ---- sections ----

    /** Adds {@code keyword name} (see {@link #addSection(ConfigDocument, Words, List)}). */
    public static ConfigDocument addSection(ConfigDocument doc, String keyword, String name,
            List<List<String>> directives) throws EditException {
        return addSection(doc, name == null ? Words.of(keyword) : Words.of(keyword, name), values(directives));
    }

    /**
     * Adds a section whose header line is {@code header} ({@code backend b}, {@code defaults d from base}).
     * {@code global}, {@code defaults} and {@code userlist} go after the last section of their kind, else before
     * the first proxy; everything else is appended at the end of the file, after one blank line.
     */
    public static ConfigDocument addSection(ConfigDocument doc, Words header, List<Words> directives)
            throws EditException {
        List<String> h = header.values();
        String keyword = h.getFirst();
        String name = h.size() > 1 ? h.get(1) : null;
        if (section(doc, keyword, name) != null) {
            throw new EditException(EditException.Kind.ALREADY_EXISTS, describe(keyword, name) + " already exists");
        }
        String indent = doc.sections().isEmpty() ? "  " : doc.indentOf(doc.sections().getLast());
        List<String> block = new ArrayList<>();
        block.add(header.text());
        for (Words d : directives) {
            block.add(indent + d.text());
        }
        int at = LEADING.contains(keyword) ? leadingPosition(doc, keyword) : -1;
        if (at < 0) {
            if (!doc.lines().isEmpty() && !doc.lines().getLast().text().isBlank()) {
                block.addFirst("");
            }
            return doc.insert(doc.lines().size(), block);
        }
        block.add("");
        return doc.insert(at, block);
    }

    public static ConfigDocument removeSection(ConfigDocument doc, String keyword, String name)
            throws EditException {
        return doc.removeSection(existing(doc, keyword, name));
    }

    /** Rewrites a section's header line ({@code from} changed), unless it already says the same. */
    public static ConfigDocument replaceHeader(ConfigDocument doc, String keyword, String name, Words header)
            throws EditException {
        Section s = existing(doc, keyword, name);
        ConfigLine l = doc.line(s.header());
        return Words.of(l).values().equals(header.values()) ? doc : doc.replace(s.header(), rewrite(l, header));
    }

    /**
     * Replaces the settings of a section (a PUT) with {@code settings}, keeping lines whose keyword is in
     * {@code childKeywords} (see {@link #replaceSettings(ConfigDocument, String, String, Predicate, List)}).
     */
    public static ConfigDocument replaceSettings(ConfigDocument doc, String keyword, String name,
            Set<String> childKeywords, List<List<String>> settings) throws EditException {
        return replaceSettings(doc, keyword, name, l -> !childKeywords.contains(l.keyword()), values(settings));
    }

    /**
     * Replaces the settings of a section (a PUT): only directive lines {@code managed} accepts are concerned;
     * the others (child lists, directives the caller does not model), comments and blank lines stay. Among the
     * managed lines, those equal (value for value) to a new setting stay byte-identical, the rest are removed,
     * and the new settings not already present go where the first removed line was, else after the last kept
     * setting, else right after the header.
     */
    public static ConfigDocument replaceSettings(ConfigDocument doc, String keyword, String name,
            Predicate<ConfigLine> managed, List<Words> settings) throws EditException {
        Section s = existing(doc, keyword, name);
        List<List<String>> pendingValues = new ArrayList<>(settings.stream().map(Words::values).toList());
        List<Words> pending = new ArrayList<>(settings);
        List<Integer> removed = new ArrayList<>();
        int lastKept = -1;
        for (int i = s.header() + 1; i < s.end(); i++) {
            ConfigLine l = doc.line(i);
            if (l.isBlankOrComment() || !managed.test(l)) {
                continue;
            }
            int match = pendingValues.indexOf(Words.of(l).values());
            if (match >= 0) {
                pendingValues.remove(match);
                pending.remove(match);
                lastKept = i;
            } else {
                removed.add(i);
            }
        }
        int insertAt = !removed.isEmpty() ? removed.getFirst() : lastKept >= 0 ? lastKept + 1 : s.header() + 1;
        String indent = doc.indentOf(s);
        List<String> newLines = pending.stream().map(w -> indent + w.text()).toList();
        ConfigDocument out = doc;
        // Remove from the bottom so earlier indices stay valid; then insert at the first removed position.
        for (int k = removed.size() - 1; k >= 0; k--) {
            out = out.remove(removed.get(k), removed.get(k) + 1);
        }
        return newLines.isEmpty() ? out : out.insert(insertAt, newLines);
    }

    // ---- index-addressed families (acl, http-request, use_backend, …) ----

    public static int count(ConfigDocument doc, String keyword, String name, Set<String> family)
            throws EditException {
        return family(doc, existing(doc, keyword, name), family).size();
    }

    public static ConfigDocument insertDirective(ConfigDocument doc, String keyword, String name, Set<String> family,
            int index, List<String> words) throws EditException {
        return insertDirective(doc, keyword, name, family, index, Words.of(words));
    }

    /**
     * Inserts before the {@code index}-th line of the family. {@code index == count} appends right after the
     * family's last line, or, when the family is empty, at the end of the section's directives (an ACL before
     * the first rule that could use it, since HAProxy needs ACLs declared before use; a {@code use_backend}
     * before {@code default_backend}).
     */
    public static ConfigDocument insertDirective(ConfigDocument doc, String keyword, String name, Set<String> family,
            int index, Words words) throws EditException {
        Section s = parent(doc, keyword, name);
        List<Integer> lines = family(doc, s, family);
        if (index < 0 || index > lines.size()) {
            throw new EditException(EditException.Kind.OUT_OF_RANGE, "index " + index + " is out of range for "
                    + describe(keyword, name) + " (it has " + lines.size() + ")");
        }
        int at;
        if (index < lines.size()) {
            at = lines.get(index);
        } else if (!lines.isEmpty()) {
            at = lines.getLast() + 1;
        } else {
            at = firstPosition(doc, s, family);
        }
        return doc.insert(at, List.of(doc.indentOf(s) + words.text()));
    }

    public static ConfigDocument replaceDirective(ConfigDocument doc, String keyword, String name,
            Set<String> family, int index, List<String> words) throws EditException {
        return replaceDirective(doc, keyword, name, family, index, Words.of(words));
    }

    /** Replaces the {@code index}-th line of the family, keeping its indentation and trailing comment. */
    public static ConfigDocument replaceDirective(ConfigDocument doc, String keyword, String name,
            Set<String> family, int index, Words words) throws EditException {
        Section s = existing(doc, keyword, name);
        int line = at(doc, s, family, index, keyword, name);
        return doc.replace(line, rewrite(doc.line(line), words));
    }

    public static ConfigDocument removeDirective(ConfigDocument doc, String keyword, String name, Set<String> family,
            int index) throws EditException {
        Section s = existing(doc, keyword, name);
        int line = at(doc, s, family, index, keyword, name);
        return doc.remove(line, line + 1);
    }

    public static ConfigDocument replaceFamily(ConfigDocument doc, String keyword, String name, Set<String> family,
            List<List<String>> all) throws EditException {
        return replaceFamilyWords(doc, keyword, name, family, values(all));
    }

    /**
     * Replaces the whole family: position by position, equal lines stay untouched, different ones are rewritten in
     * place, extra old lines are removed and extra new ones are appended after the family (or where an insert at
     * the end would put them).
     */
    public static ConfigDocument replaceFamilyWords(ConfigDocument doc, String keyword, String name,
            Set<String> family, List<Words> all) throws EditException {
        Section s = existing(doc, keyword, name);
        List<Integer> lines = family(doc, s, family);
        ConfigDocument out = doc;
        int common = Math.min(lines.size(), all.size());
        for (int k = 0; k < common; k++) {
            ConfigLine l = doc.line(lines.get(k));
            if (!Words.of(l).text().equals(all.get(k).text())) {
                out = out.replace(lines.get(k), rewrite(l, all.get(k)));
            }
        }
        for (int k = lines.size() - 1; k >= common; k--) {
            out = out.remove(lines.get(k), lines.get(k) + 1);
        }
        for (int k = common; k < all.size(); k++) {
            out = insertDirective(out, keyword, name, family, k, all.get(k));
        }
        return out;
    }

    // ---- named children (server, bind, user, group) ----

    public static ConfigDocument addNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            String childName, List<String> words) throws EditException {
        return addNamed(doc, keyword, name, childKeyword, childName, Words.of(words));
    }

    /** Appends after the last line of {@code childKeyword}, or at the end of the section's directives. */
    public static ConfigDocument addNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            String childName, Words words) throws EditException {
        Section s = parent(doc, keyword, name);
        if (named(doc, s, childKeyword, childName) >= 0) {
            throw new EditException(EditException.Kind.ALREADY_EXISTS, childKeyword + " '" + childName
                    + "' already exists in " + describe(keyword, name));
        }
        List<Integer> lines = doc.directives(s, childKeyword);
        int at = lines.isEmpty() ? doc.endOfDirectives(s) : lines.getLast() + 1;
        return doc.insert(at, List.of(doc.indentOf(s) + words.text()));
    }

    public static ConfigDocument replaceNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            String childName, List<String> words) throws EditException {
        return replaceNamed(doc, keyword, name, childKeyword, childName, Words.of(words));
    }

    public static ConfigDocument replaceNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            String childName, Words words) throws EditException {
        Section s = existing(doc, keyword, name);
        int line = namedOrThrow(doc, s, childKeyword, childName, keyword, name);
        return doc.replace(line, rewrite(doc.line(line), words));
    }

    public static ConfigDocument removeNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            String childName) throws EditException {
        Section s = existing(doc, keyword, name);
        int line = namedOrThrow(doc, s, childKeyword, childName, keyword, name);
        return doc.remove(line, line + 1);
    }

    // ---- helpers ----

    private static Section existing(ConfigDocument doc, String keyword, String name) throws EditException {
        Section s = section(doc, keyword, name);
        if (s == null) {
            throw new EditException(EditException.Kind.NOT_FOUND, describe(keyword, name) + " does not exist");
        }
        return s;
    }

    private static Section parent(ConfigDocument doc, String keyword, String name) throws EditException {
        Section s = section(doc, keyword, name);
        if (s == null) {
            throw new EditException(EditException.Kind.MISSING_PARENT, describe(keyword, name) + " does not exist");
        }
        return s;
    }

    private static List<Integer> family(ConfigDocument doc, Section s, Set<String> family) {
        List<Integer> out = new ArrayList<>();
        for (int i = s.header() + 1; i < s.end(); i++) {
            String kw = doc.line(i).keyword();
            if (kw != null && family.contains(kw)) {
                out.add(i);
            }
        }
        return out;
    }

    private static int at(ConfigDocument doc, Section s, Set<String> family, int index, String keyword, String name)
            throws EditException {
        List<Integer> lines = family(doc, s, family);
        if (index < 0 || index >= lines.size()) {
            throw new EditException(EditException.Kind.NOT_FOUND, String.join("/", family) + " #" + index
                    + " does not exist in " + describe(keyword, name));
        }
        return lines.get(index);
    }

    private static int named(ConfigDocument doc, Section s, String childKeyword, String childName) {
        for (int i : doc.directives(s, childKeyword)) {
            if (childName.equals(childName(doc.line(i)))) {
                return i;
            }
        }
        return -1;
    }

    private static int namedOrThrow(ConfigDocument doc, Section s, String childKeyword, String childName,
            String keyword, String name) throws EditException {
        int line = named(doc, s, childKeyword, childName);
        if (line < 0) {
            throw new EditException(EditException.Kind.NOT_FOUND, childKeyword + " '" + childName
                    + "' does not exist in " + describe(keyword, name));
        }
        return line;
    }

    /** Where the first line of an empty family goes (see {@link #GOES_BEFORE}), else the end of the directives. */
    private static int firstPosition(ConfigDocument doc, Section s, Set<String> family) {
        Set<String> before = family.stream().map(GOES_BEFORE::get).filter(b -> b != null).findFirst().orElse(null);
        if (before != null) {
            for (int i = s.header() + 1; i < s.end(); i++) {
                String kw = doc.line(i).keyword();
                if (kw != null && before.contains(kw)) {
                    return i;
                }
            }
        }
        return doc.endOfDirectives(s);
    }

    /** Where a new leading section goes: after the last of its kind, else before the first proxy; -1 = the end. */
    private static int leadingPosition(ConfigDocument doc, String keyword) {
        Section lastSame = null;
        Section firstProxy = null;
        for (Section s : doc.sections()) {
            if (s.keyword().equals(keyword)) {
                lastSame = s;
            }
            if (firstProxy == null && PROXIES.contains(s.keyword())) {
                firstProxy = s;
            }
        }
        int at;
        if (keyword.equals("global")) {
            at = doc.sections().isEmpty() ? -1 : doc.sections().getFirst().header();
        } else if (lastSame != null) {
            at = lastSame.end();
        } else {
            at = firstProxy == null ? -1 : firstProxy.header();
        }
        return at >= doc.lines().size() ? -1 : at;
    }

    private static List<Words> values(List<List<String>> lines) {
        return lines.stream().map(Words::of).toList();
    }

    /** New words on an existing line: its indentation and trailing comment are kept. */
    private static String rewrite(ConfigLine l, Words words) {
        String text = l.indent() + words.text();
        return l.comment() == null ? text : text + " #" + l.comment();
    }

    private static String describe(String keyword, String name) {
        return name == null ? keyword : keyword + " " + name;
    }
}
