package io.flagman.config.model;

import java.util.List;

/**
 * The condition of a rule: {@code if|unless <terms>}. HAProxy's grammar is an OR ({@code ||} or {@code or}) of
 * AND groups (terms side by side); each term is a possibly negated ({@code !}) named ACL or anonymous
 * {@code { … }} ACL.
 *
 * @param unless true for {@code unless}
 * @param alternatives the OR of AND groups, never empty
 * @param text the condition as written after {@code if}/{@code unless} (words joined by one space)
 */
public record Condition(boolean unless, List<List<Term>> alternatives, String text) {

    public Condition {
        alternatives = alternatives.stream().map(List::copyOf).toList();
    }

    /**
     * One term: a named ACL ({@code aclName} set) or an anonymous one ({@code anonymous} set).
     */
    public record Term(boolean negated, String aclName, AclTest anonymous) {}
}
