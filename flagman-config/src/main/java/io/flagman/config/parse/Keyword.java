package io.flagman.config.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One configuration keyword (or family): how it is parsed into a section builder, where it is allowed and how it
 * is documented. Writing lives in the same class: static methods taking model values (what the parser produced)
 * and, for the Data Plane API, values as said (null = not said, so an explicit default is still written).
 *
 * @param <B> the builder of the section the keyword fills
 */
interface Keyword<B> {

    String name();

    /** The usage line shown in hints and in docs/configuration.md, e.g. {@code balance <algorithm> [<arguments>]}. */
    String usage();

    /** One sentence: what Flagman does with it. */
    String summary();

    Set<Scope> scopes();

    /** The kind of support; NOT_SUPPORTED keywords are errors, IGNORED ones warnings. */
    default Support support() {
        return Support.SUPPORTED;
    }

    void parse(Directive d, B target);

    /**
     * {@code <name> <values…>}: the line of this keyword with its values as said. Keywords whose values have a
     * structure of their own (server, bind, balance, option, timeout, http rules…) have writers that spell it.
     */
    default List<String> writeSaid(List<String> values) {
        List<String> w = new ArrayList<>(List.of(name()));
        w.addAll(values);
        return w;
    }

    enum Support {
        SUPPORTED,
        IGNORED,
        NOT_SUPPORTED
    }
}
