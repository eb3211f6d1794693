package io.flagman.config.validate;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** "Did you mean …?" hints and short lists of candidate names for diagnostics. */
final class Names {

    private static final int LISTED = 6;

    private Names() {}

    /** {@code did you mean 'x'?} for the closest candidate that still looks like a typo, or null. */
    static String didYouMean(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = word.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return best != null && bestDistance <= allowed ? "did you mean '" + best + "'?" : null;
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

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
