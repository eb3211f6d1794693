package io.flagman.config.text;

import java.util.Collection;

/**
 * "Did you mean …?" by edit distance: the one place where diagnostics of every layer (keywords, algorithms,
 * references to backends, ACLs, userlists) find the name the user probably meant.
 */
public final class Suggest {

    private Suggest() {}

    /** The closest candidate within a distance that still looks like a typo, or null. */
    public static String closest(String word, Collection<String> candidates) {
        if (word == null) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = word.length() <= 2 ? 1 : Math.max(2, Math.min(3, word.length() / 3));
        return bestDistance <= allowed ? best : null;
    }

    /** "did you mean 'x'?" or null. */
    public static String didYouMean(String word, Collection<String> candidates) {
        String c = closest(word, candidates);
        return c == null ? null : "did you mean '" + c + "'?";
    }

    /** Levenshtein distance with adjacent transpositions counted as one edit. */
    public static int distance(String a, String b) {
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
