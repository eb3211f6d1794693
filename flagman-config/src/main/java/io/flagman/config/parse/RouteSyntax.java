package io.flagman.config.parse;

import io.flagman.config.model.Condition;
import java.util.List;

/** The optional {@code if|unless …} tail of a routing rule at a fixed position. */
final class RouteSyntax {

    /** Marks a condition that was present but malformed (already reported). */
    static final Condition INVALID = new Condition(false, List.of(List.of()), "");

    private RouteSyntax() {}

    /** Null when the line ends at {@code at}; the parsed condition; or {@link #INVALID}. */
    static Condition condition(Directive d, int at) {
        String w = d.word(at);
        if (w == null) {
            return null;
        }
        if (!w.equals("if") && !w.equals("unless")) {
            d.error(at, "'" + d.keyword() + "': unexpected '" + w + "'", "expected 'if' or 'unless' followed by a condition");
            return INVALID;
        }
        Condition c = ConditionSyntax.parse(d, at);
        return c == null ? INVALID : c;
    }
}
