package io.flagman.config.edit;

import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Loss-free edits of a {@link ConfigDocument}: each returns a new document in which only the lines the edit is
 * about changed; every other line, comment and blank line keeps its bytes and its place. New lines use the
 * section's indentation and {@link ConfigDocument#joinWords} quoting.
 *
 * <p>A missing parent section is {@link EditException.Kind#MISSING_PARENT} for inserts and
 * {@link EditException.Kind#NOT_FOUND} for reads, replacements and removals (the API answers 404 there).
 */
public final class ConfigEditor {

    /** Keywords of rules that may name an ACL: a new ACL goes before the first of them. */
    private static final Set<String> ACL_USERS = Set.of("http-request", "http-response", "use_backend", "use-server",
            "default_backend");

    private ConfigEditor() {}

    // ---- sections ----

    /** Appends a section at the end of the file, after one blank line. */
    public static ConfigDocument addSection(ConfigDocument doc, String keyword, String name,
            List<List<String>> directives) throws EditException {
        if (doc.section(keyword, name) != null) {
            throw new EditException(EditException.Kind.ALREADY_EXISTS, describe(keyword, name) + " already exists");
        }
        String header = name == null ? keyword : ConfigDocument.joinWords(List.of(keyword, name));
        return doc.appendSection(header, directives);
    }

    public static ConfigDocument removeSection(ConfigDocument doc, String keyword, String name)
            throws EditException {
        return doc.removeSection(existing(doc, keyword, name));
    }

    /**
     * Replaces the settings of a section (a PUT): lines whose keyword is in {@code childKeywords} stay, as do
     * comments and blank lines; among the other directive lines, those equal (word for word) to a new setting stay
     * byte-identical, the rest are removed, and the new settings not already present go where the first removed
     * line was, else after the last kept setting, else right after the header.
     */
    public static ConfigDocument replaceSettings(ConfigDocument doc, String keyword, String name,
            Set<String> childKeywords, List<List<String>> settings) throws EditException {
        Section s = existing(doc, keyword, name);
        List<List<String>> pending = new ArrayList<>(settings);
        List<Integer> removed = new ArrayList<>();
        int lastKept = -1;
        for (int i = s.header() + 1; i < s.end(); i++) {
            ConfigLine l = doc.line(i);
            if (l.isBlankOrComment() || childKeywords.contains(l.keyword())) {
                continue;
            }
            int match = pending.indexOf(words(l));
            if (match >= 0) {
                pending.remove(match);
                lastKept = i;
            } else {
                removed.add(i);
            }
        }
        int insertAt = !removed.isEmpty() ? removed.getFirst() : lastKept >= 0 ? lastKept + 1 : s.header() + 1;
        List<String> newLines = pending.stream().map(w -> doc.directiveText(s, w)).toList();
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

    /**
     * Inserts before the {@code index}-th line of the family. {@code index == count} appends right after the
     * family's last line, or at the end of the section's directives when the family is empty (an ACL then goes
     * before the first rule that could use it, since HAProxy needs ACLs declared before use).
     */
    public static ConfigDocument insertDirective(ConfigDocument doc, String keyword, String name, Set<String> family,
            int index, List<String> words) throws EditException {
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
        } else if (family.contains("acl")) {
            at = firstAclUser(doc, s);
        } else {
            at = doc.endOfDirectives(s);
        }
        return doc.insert(at, List.of(doc.directiveText(s, words)));
    }

    /** Replaces the {@code index}-th line of the family, keeping its indentation and trailing comment. */
    public static ConfigDocument replaceDirective(ConfigDocument doc, String keyword, String name,
            Set<String> family, int index, List<String> words) throws EditException {
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

    /**
     * Replaces the whole family: position by position, equal lines stay untouched, different ones are rewritten in
     * place, extra old lines are removed and extra new ones are appended after the family (or where an insert at
     * the end would put them).
     */
    public static ConfigDocument replaceFamily(ConfigDocument doc, String keyword, String name, Set<String> family,
            List<List<String>> all) throws EditException {
        Section s = existing(doc, keyword, name);
        List<Integer> lines = family(doc, s, family);
        ConfigDocument out = doc;
        int common = Math.min(lines.size(), all.size());
        for (int k = 0; k < common; k++) {
            ConfigLine l = doc.line(lines.get(k));
            if (!words(l).equals(all.get(k))) {
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

    /** Appends after the last line of {@code childKeyword}, or at the end of the section's directives. */
    public static ConfigDocument addNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            String childName, List<String> words) throws EditException {
        Section s = parent(doc, keyword, name);
        if (named(doc, s, childKeyword, childName) >= 0) {
            throw new EditException(EditException.Kind.ALREADY_EXISTS, childKeyword + " '" + childName
                    + "' already exists in " + describe(keyword, name));
        }
        List<Integer> lines = doc.directives(s, childKeyword);
        int at = lines.isEmpty() ? doc.endOfDirectives(s) : lines.getLast() + 1;
        return doc.insert(at, List.of(doc.directiveText(s, words)));
    }

    public static ConfigDocument replaceNamed(ConfigDocument doc, String keyword, String name, String childKeyword,
            String childName, List<String> words) throws EditException {
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

    /**
     * The name of a child line: the second word ({@code server s1 …}, {@code user admin …}); for a bind the value
     * of its {@code name} option, else its address (as the Data Plane API names unnamed binds).
     */
    static String childName(ConfigLine l) {
        if ("bind".equals(l.keyword())) {
            for (int i = 2; i + 1 < l.words().size(); i++) {
                if (l.word(i).equals("name")) {
                    return l.word(i + 1);
                }
            }
        }
        return l.word(1);
    }

    // ---- helpers ----

    private static Section existing(ConfigDocument doc, String keyword, String name) throws EditException {
        Section s = doc.section(keyword, name);
        if (s == null) {
            throw new EditException(EditException.Kind.NOT_FOUND, describe(keyword, name) + " does not exist");
        }
        return s;
    }

    private static Section parent(ConfigDocument doc, String keyword, String name) throws EditException {
        Section s = doc.section(keyword, name);
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

    private static int firstAclUser(ConfigDocument doc, Section s) {
        for (int i = s.header() + 1; i < s.end(); i++) {
            String kw = doc.line(i).keyword();
            if (kw != null && ACL_USERS.contains(kw)) {
                return i;
            }
        }
        return doc.endOfDirectives(s);
    }

    private static List<String> words(ConfigLine l) {
        return l.words().stream().map(t -> t.value()).toList();
    }

    /** New words on an existing line: its indentation and trailing comment are kept. */
    private static String rewrite(ConfigLine l, List<String> words) {
        String text = l.indent() + ConfigDocument.joinWords(words);
        return l.comment() == null ? text : text + " #" + l.comment();
    }

    private static String describe(String keyword, String name) {
        return name == null ? keyword : keyword + " '" + name + "'";
    }
}
