package io.flagman.config.parse;

import io.flagman.config.model.AclTest;
import io.flagman.config.model.Condition;
import io.flagman.config.text.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code if|unless <terms>}: an OR ({@code ||} or {@code or}, in any case as HAProxy reads it) of AND groups of
 * possibly negated ({@code !}) named ACLs or anonymous {@code { … }} ACLs. Named ACLs are not resolved here (the validator does that).
 */
final class ConditionSyntax {

    private static final Pattern ACL_NAME = Pattern.compile("[A-Za-z0-9_.:\\-]+");

    private ConditionSyntax() {}

    /**
     * Parses the condition starting at word {@code at} (which is {@code if} or {@code unless}) up to the end of
     * the line; returns null after reporting.
     */
    static Condition parse(Directive d, int at) {
        String kw = d.word(at);
        boolean unless = kw.equals("unless");
        List<String> words = d.words(at + 1);
        if (words.isEmpty()) {
            d.error(at + 1, "missing condition after '" + kw + "'",
                    "expected ACL names or { <criterion> <patterns> }, e.g. '" + kw + " is_api' or '" + kw
                            + " { path_beg /api }'");
            return null;
        }
        AclSyntax.Reporter r = (i, m, h) -> d.error(at + 1 + i, m, h);
        return parse(unless, words, r);
    }

    static Condition parse(boolean unless, List<String> words, AclSyntax.Reporter r) {
        List<List<Condition.Term>> alternatives = new ArrayList<>();
        List<Condition.Term> group = new ArrayList<>();
        boolean ok = true;
        int i = 0;
        while (i < words.size()) {
            String w = words.get(i);
            if (w.equals("||") || w.equalsIgnoreCase("or")) {
                if (group.isEmpty()) {
                    r.error(i, "'" + w + "' without a condition before it", "expected <acl> " + w + " <acl>");
                    ok = false;
                } else {
                    alternatives.add(group);
                    group = new ArrayList<>();
                }
                i++;
                continue;
            }
            boolean negated = false;
            if (w.equals("!")) {
                negated = true;
                i++;
                if (i >= words.size()) {
                    r.error(i, "missing ACL after '!'", "expected '!<acl>' or '! { … }'");
                    return null;
                }
                w = words.get(i);
            } else if (w.startsWith("!")) {
                // "!{" is accepted by HAProxy as a negated anonymous ACL.
                negated = true;
                w = w.substring(1);
            }
            if (w.equals("{")) {
                int close = words.subList(i, words.size()).indexOf("}");
                if (close < 0) {
                    r.error(i, "missing '}' to close the anonymous ACL", "write '{ <criterion> <patterns> }'");
                    return null;
                }
                int start = i + 1;
                AclTest test = AclSyntax.parse(words.subList(start, i + close), (k, m, h) -> r.error(start + k, m, h));
                if (test == null) {
                    ok = false;
                } else {
                    group.add(new Condition.Term(negated, null, test));
                }
                i += close + 1;
                continue;
            }
            if (w.equals("}") || w.startsWith("{")) {
                r.error(i, "unexpected '" + w + "'", "braces are separate words: '{ path_beg /api }'");
                ok = false;
            } else if (!ACL_NAME.matcher(w).matches()) {
                r.error(i, "invalid ACL name '" + w + "'",
                        "ACL names use letters, digits, '_', '-', '.' and ':'");
                ok = false;
            } else {
                group.add(new Condition.Term(negated, w, null));
            }
            i++;
        }
        if (group.isEmpty()) {
            if (!alternatives.isEmpty()) {
                r.error(words.size(), "missing condition after '" + words.getLast() + "'", "expected an ACL");
            }
            ok = false;
        } else {
            alternatives.add(group);
        }
        return ok ? new Condition(unless, alternatives, String.join(" ", words)) : null;
    }

    /**
     * Finds {@code if}/{@code unless} at or after {@code from}; returns its index or -1. Everything from there is
     * the condition.
     */
    static int find(Directive d, int from) {
        for (int i = from; i < d.size(); i++) {
            String w = d.word(i);
            if (w.equals("if") || w.equals("unless")) {
                return i;
            }
        }
        return -1;
    }

    /** {@code ["if"|"unless", words…]}. */
    static List<String> write(Condition c) {
        List<String> terms = new ArrayList<>();
        for (String w : c.text().split(" ")) {
            if (!w.isEmpty()) {
                terms.add(w);
            }
        }
        return write(c.unless(), Words.of(terms)).values();
    }

    /** {@code if|unless <terms>}: the one place that spells a condition. */
    static Words write(boolean unless, Words terms) {
        return Words.of(unless ? "unless" : "if").plus(terms);
    }
}
