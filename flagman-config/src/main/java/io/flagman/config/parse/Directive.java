package io.flagman.config.parse;

import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Diagnostics;
import java.util.List;

/**
 * One directive line being parsed: its words, and a way to report problems at the column of a given word.
 * Keyword classes read words by index and never touch the diagnostics collector directly.
 */
final class Directive {

    private final ConfigLine line;
    private final Diagnostics diagnostics;
    private final Scope scope;
    private final boolean listen;
    private final int offset;

    Directive(ConfigLine line, Diagnostics diagnostics, Scope scope, boolean listen) {
        this(line, diagnostics, scope, listen, 0);
    }

    private Directive(ConfigLine line, Diagnostics diagnostics, Scope scope, boolean listen, int offset) {
        this.line = line;
        this.diagnostics = diagnostics;
        this.scope = scope;
        this.listen = listen;
        this.offset = offset;
    }

    /** The same line seen from word {@code n} on: {@code no option x} is parsed as {@code option x}. */
    Directive shift(int n) {
        return new Directive(line, diagnostics, scope, listen, offset + n);
    }

    Scope scope() {
        return scope;
    }

    /** True in a {@code listen} section (scope is then FRONTEND or BACKEND as the keyword needs). */
    boolean listen() {
        return listen;
    }

    int number() {
        return line.number();
    }

    int size() {
        return line.words().size() - offset;
    }

    String keyword() {
        return word(0);
    }

    /** Word {@code i} (0 = the keyword), or null past the end. */
    String word(int i) {
        return line.word(i + offset);
    }

    /** Words from {@code from} to the end. */
    List<String> words(int from) {
        return line.words().stream().skip(from + offset).map(t -> t.value()).toList();
    }

    /** Column of word {@code i}; past the end, the column just after the line's last word. */
    int column(int i) {
        int index = i + offset;
        if (index < line.words().size()) {
            return line.column(index);
        }
        if (line.words().isEmpty()) {
            return 1;
        }
        var last = line.words().getLast();
        return last.column() + last.raw().length();
    }

    void error(int i, String message, String hint) {
        diagnostics.error(number(), column(i), message, hint);
    }

    void warning(int i, String message, String hint) {
        diagnostics.warning(number(), column(i), message, hint);
    }

    /** Reports a missing argument after word {@code i - 1}; returns null so callers can {@code return}. */
    String missing(int i, String what) {
        error(i, "'" + word(0) + "': missing " + what + " after '" + word(i - 1) + "'", "usage: " + usage());
        return null;
    }

    String usage() {
        Keyword<?> k = KeywordTables.find(scope, word(0));
        return k == null ? word(0) : k.usage();
    }
}
