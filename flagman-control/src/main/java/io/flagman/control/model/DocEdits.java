package io.flagman.control.model;

import io.flagman.config.edit.EditException;
import io.flagman.config.edit.EditException.Kind;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Line-level edits of a {@link ConfigDocument} for the API: each returns a new document in which only the
 * affected lines differ (loss-free: comments, blank lines, unknown directives and the order of everything else
 * stay). Directives are given as raw words, already quoted as they must appear in the file.
 */
public final class DocEdits {

    /** Where a first directive of a family goes relative to others, HAProxy's customary order. */
    private static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("bind", 1), Map.entry("acl", 2), Map.entry("tcp-request", 3), Map.entry("http-request", 4),
            Map.entry("http-response", 5), Map.entry("http-after-response", 6), Map.entry("redirect", 7),
            Map.entry("use_backend", 8), Map.entry("default_backend", 9), Map.entry("use-server", 10),
            Map.entry("default-server", 11), Map.entry("server", 12), Map.entry("user", 13), Map.entry("group", 12));

    private DocEdits() {}

    /** Sections of a kind, anonymous defaults named {@code unnamed_defaults_N} as the Data Plane API does. */
    public static List<Section> sections(ConfigDocument doc, String keyword) {
        return doc.sections().stream().filter(s -> s.keyword().equals(keyword)).toList();
    }

    public static String nameOf(ConfigDocument doc, Section s) {
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

    /** The section of this kind and (API) name, or null. */
    public static Section find(ConfigDocument doc, String keyword, String name) {
        for (Section s : doc.sections()) {
            if (s.keyword().equals(keyword) && nameOf(doc, s).equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Directive lines (not blank, not comment) of a section, header excluded, as 0-based indices. */
    public static List<Integer> directives(ConfigDocument doc, Section s) {
        List<Integer> out = new ArrayList<>();
        for (int i = s.header() + 1; i < s.end(); i++) {
            if (!doc.line(i).isBlankOrComment()) {
                out.add(i);
            }
        }
        return out;
    }

    /** Line indices of a family (lines whose first word is in {@code family}) in file order. */
    public static List<Integer> family(ConfigDocument doc, Section s, Set<String> family) {
        List<Integer> out = new ArrayList<>();
        for (int i = s.header() + 1; i < s.end(); i++) {
            String kw = doc.line(i).keyword();
            if (kw != null && family.contains(kw)) {
                out.add(i);
            }
        }
        return out;
    }

    public static Section require(ConfigDocument doc, String keyword, String name, Kind kind) throws EditException {
        Section s = find(doc, keyword, name);
        if (s == null) {
            throw new EditException(kind, kind == Kind.MISSING_PARENT
                    ? "missing parent: " + keyword + " " + name + " does not exist"
                    : capitalize(keyword) + " " + name + " does not exist");
        }
        return s;
    }

    /**
     * Adds a section. Defaults and userlists go after the last section of the same kind (before the first
     * proxy section when there is none); everything else at the end.
     */
    public static ConfigDocument addSection(ConfigDocument doc, String keyword, String header, String name,
            List<List<String>> directives) throws EditException {
        if (find(doc, keyword, name) != null) {
            throw new EditException(Kind.ALREADY_EXISTS, "object already exists: " + keyword + " " + name
                    + " already exists");
        }
        int at = -1;
        if (keyword.equals("defaults") || keyword.equals("userlist") || keyword.equals("global")) {
            Section lastSame = null;
            Section firstProxy = null;
            for (Section s : doc.sections()) {
                if (s.keyword().equals(keyword)) {
                    lastSame = s;
                }
                if (firstProxy == null && Set.of("frontend", "backend", "listen").contains(s.keyword())) {
                    firstProxy = s;
                }
            }
            if (keyword.equals("global")) {
                at = doc.sections().isEmpty() ? -1 : doc.sections().getFirst().header();
            } else if (lastSame != null) {
                at = lastSame.end();
            } else if (firstProxy != null) {
                at = firstProxy.header();
            }
        }
        String indent = doc.sections().isEmpty() ? "  " : doc.indentOf(doc.sections().getLast());
        List<String> block = new ArrayList<>();
        if (at < 0 || at >= doc.lines().size()) {
            if (!doc.lines().isEmpty() && !doc.lines().getLast().text().isBlank()) {
                block.add("");
            }
            block.add(header);
            block.addAll(lines(indent, directives));
            return doc.insert(doc.lines().size(), block);
        }
        block.add(header);
        block.addAll(lines(indent, directives));
        block.add("");
        return doc.insert(at, block);
    }

    public static ConfigDocument removeSection(ConfigDocument doc, String keyword, String name)
            throws EditException {
        return doc.removeSection(require(doc, keyword, name, Kind.NOT_FOUND));
    }

    /**
     * Replaces the settings of a section: every line {@code managed} accepts is removed and {@code settings}
     * are written where the first of them was (right after the header when there was none). Child lists and
     * directives the API does not model stay untouched.
     */
    public static ConfigDocument replaceSettings(ConfigDocument doc, String keyword, String name,
            Predicate<ConfigLine> managed, List<List<String>> settings) throws EditException {
        Section s = require(doc, keyword, name, Kind.NOT_FOUND);
        String indent = doc.indentOf(s);
        int insertAt = -1;
        List<Integer> remove = new ArrayList<>();
        for (int i = s.header() + 1; i < s.end(); i++) {
            ConfigLine l = doc.line(i);
            if (!l.isBlankOrComment() && managed.test(l)) {
                if (insertAt < 0) {
                    insertAt = i;
                }
                remove.add(i);
            }
        }
        ConfigDocument out = doc;
        for (int k = remove.size() - 1; k >= 0; k--) {
            out = out.remove(remove.get(k), remove.get(k) + 1);
        }
        if (insertAt < 0) {
            insertAt = s.header() + 1;
        }
        return out.insert(insertAt, lines(indent, settings));
    }

    public static int count(ConfigDocument doc, String keyword, String name, Set<String> family)
            throws EditException {
        return family(doc, require(doc, keyword, name, Kind.MISSING_PARENT), family).size();
    }

    /** Inserts before element {@code index} of the family; {@code index == size} (or negative) appends. */
    public static ConfigDocument insertDirective(ConfigDocument doc, String keyword, String name, Set<String> family,
            int index, List<String> words) throws EditException {
        Section s = require(doc, keyword, name, Kind.MISSING_PARENT);
        List<Integer> lines = family(doc, s, family);
        if (index > lines.size()) {
            throw new EditException(Kind.OUT_OF_RANGE, "index out of range: Object with id " + index + " in "
                    + keyword + " " + name + " out of range");
        }
        int at;
        if (index >= 0 && index < lines.size()) {
            at = lines.get(index);
        } else if (!lines.isEmpty()) {
            at = lines.getLast() + 1;
        } else {
            at = firstPosition(doc, s, family);
        }
        return doc.insert(at, List.of(doc.indentOf(s) + String.join(" ", words)));
    }

    public static ConfigDocument replaceDirective(ConfigDocument doc, String keyword, String name,
            Set<String> family, int index, List<String> words) throws EditException {
        Section s = require(doc, keyword, name, Kind.NOT_FOUND);
        int line = at(doc, s, family, index, keyword, name);
        String keepIndent = doc.line(line).indent();
        return doc.replace(line, (keepIndent.isEmpty() ? doc.indentOf(s) : keepIndent) + String.join(" ", words));
    }

    public static ConfigDocument removeDirective(ConfigDocument doc, String keyword, String name, Set<String> family,
            int index) throws EditException {
        Section s = require(doc, keyword, name, Kind.NOT_FOUND);
        int line = at(doc, s, family, index, keyword, name);
        return doc.remove(line, line + 1);
    }

    /** Replaces the whole family with {@code all}, in order, where its first element was. */
    public static ConfigDocument replaceFamily(ConfigDocument doc, String keyword, String name, Set<String> family,
            List<List<String>> all) throws EditException {
        Section s = require(doc, keyword, name, Kind.MISSING_PARENT);
        List<Integer> lines = family(doc, s, family);
        int at = lines.isEmpty() ? firstPosition(doc, s, family) : lines.getFirst();
        ConfigDocument out = doc;
        for (int k = lines.size() - 1; k >= 0; k--) {
            out = out.remove(lines.get(k), lines.get(k) + 1);
        }
        return out.insert(at, lines(doc.indentOf(s), all));
    }

    /** Index of the named child ({@code childKeyword} line whose name {@code nameOf} gives), or -1. */
    public static int findNamed(ConfigDocument doc, Section s, String childKeyword,
            java.util.function.Function<ConfigLine, String> nameOf, String childName) {
        for (int i : family(doc, s, Set.of(childKeyword))) {
            if (childName.equals(nameOf.apply(doc.line(i)))) {
                return i;
            }
        }
        return -1;
    }

    public static ConfigDocument addNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            java.util.function.Function<ConfigLine, String> nameOf, String childName, String what,
            List<String> words) throws EditException {
        Section s = require(doc, keyword, name, Kind.MISSING_PARENT);
        if (findNamed(doc, s, childKeyword, nameOf, childName) >= 0) {
            throw new EditException(Kind.ALREADY_EXISTS, "object already exists: " + what + " " + childName
                    + " already exists in " + name + " " + keyword);
        }
        return insertDirective(doc, keyword, name, Set.of(childKeyword), -1, words);
    }

    public static ConfigDocument replaceNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            java.util.function.Function<ConfigLine, String> nameOf, String childName, String what,
            List<String> words) throws EditException {
        Section s = find(doc, keyword, name);
        int i = s == null ? -1 : findNamed(doc, s, childKeyword, nameOf, childName);
        if (i < 0) {
            throw new EditException(Kind.NOT_FOUND, what + " " + childName + " does not exist in " + name + " "
                    + keyword);
        }
        String indent = doc.line(i).indent();
        return doc.replace(i, (indent.isEmpty() ? doc.indentOf(s) : indent) + String.join(" ", words));
    }

    public static ConfigDocument removeNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            java.util.function.Function<ConfigLine, String> nameOf, String childName, String what)
            throws EditException {
        Section s = find(doc, keyword, name);
        int i = s == null ? -1 : findNamed(doc, s, childKeyword, nameOf, childName);
        if (i < 0) {
            throw new EditException(Kind.NOT_FOUND, what + " " + childName + " does not exist in " + name + " "
                    + keyword);
        }
        return doc.remove(i, i + 1);
    }

    private static int at(ConfigDocument doc, Section s, Set<String> family, int index, String keyword, String name)
            throws EditException {
        List<Integer> lines = family(doc, s, family);
        if (index < 0 || index >= lines.size()) {
            throw new EditException(Kind.NOT_FOUND, "Object " + index + " does not exist in " + keyword + " "
                    + name);
        }
        return lines.get(index);
    }

    /** Where the first element of an empty family goes: before the first line HAProxy customarily puts after it. */
    private static int firstPosition(ConfigDocument doc, Section s, Set<String> family) {
        int rank = family.stream().mapToInt(k -> RANK.getOrDefault(k, 99)).min().orElse(99);
        for (int i : directives(doc, s)) {
            Integer r = RANK.get(doc.line(i).keyword());
            if (r != null && r > rank) {
                return i;
            }
        }
        return doc.endOfDirectives(s);
    }

    private static List<String> lines(String indent, List<List<String>> directives) {
        List<String> out = new ArrayList<>();
        for (List<String> d : directives) {
            out.add(indent + String.join(" ", d));
        }
        return out;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
