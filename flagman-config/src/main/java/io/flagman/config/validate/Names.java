package io.flagman.config.validate;

import io.flagman.config.text.Suggest;
import java.util.Collection;
import java.util.List;

/** "Did you mean …?" hints and short lists of candidate names for diagnostics. */
final class Names {

    private static final int LISTED = 6;

    private Names() {}

    /** {@code did you mean 'x'?} for the closest candidate that still looks like a typo, or null. */
    static String didYouMean(String word, Collection<String> candidates) {
        return Suggest.didYouMean(word, candidates);
    }

    /** {@code a, b, c} (at most six, then {@code …}), or {@code none} for an empty list. */
    static String list(Collection<String> names) {
        if (names.isEmpty()) {
            return "none defined";
        }
        List<String> shown = names.stream().distinct().limit(LISTED).toList();
        String joined = String.join(", ", shown);
        return names.stream().distinct().count() > LISTED ? joined + ", …" : joined;
    }
}
