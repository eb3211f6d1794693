package io.flagman.proxy.rule;

import java.util.ArrayList;
import java.util.List;

/**
 * One integer pattern: {@code N}, {@code a:b}, {@code :b}, {@code a:}, or an operator with a value ({@code eq},
 * {@code ge}, {@code gt}, {@code le}, {@code lt}). An operator applies to every value that follows it, as in
 * HAProxy; it may come as its own pattern ({@code "lt", "10"}) or joined ({@code "lt 10"}).
 */
record IntRange(long min, long max) {

    boolean contains(long v) {
        return v >= min && v <= max;
    }

    static boolean any(IntRange[] ranges, long v) {
        for (IntRange r : ranges) {
            if (r.contains(v)) {
                return true;
            }
        }
        return false;
    }

    static IntRange[] parseAll(List<String> patterns) {
        List<String> words = new ArrayList<>();
        for (String p : patterns) {
            for (String w : p.strip().split("\\s+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        List<IntRange> ranges = new ArrayList<>();
        String operator = null;
        for (String w : words) {
            switch (w) {
                case "eq", "ge", "gt", "le", "lt" -> {
                    operator = w;
                    continue;
                }
                default -> { }
            }
            ranges.add(operator == null ? parse(w) : withOperator(operator, number(w)));
        }
        return ranges.toArray(IntRange[]::new);
    }

    private static IntRange withOperator(String operator, long v) {
        return switch (operator) {
            case "eq" -> new IntRange(v, v);
            case "ge" -> new IntRange(v, Long.MAX_VALUE);
            case "gt" -> new IntRange(v == Long.MAX_VALUE ? v : v + 1, Long.MAX_VALUE);
            case "le" -> new IntRange(Long.MIN_VALUE, v);
            case "lt" -> new IntRange(Long.MIN_VALUE, v == Long.MIN_VALUE ? v : v - 1);
            default -> throw new IllegalArgumentException("unknown integer operator '" + operator + "'");
        };
    }

    private static IntRange parse(String w) {
        int colon = w.indexOf(':');
        if (colon < 0) {
            long v = number(w);
            return new IntRange(v, v);
        }
        long min = colon == 0 ? Long.MIN_VALUE : number(w.substring(0, colon));
        long max = colon == w.length() - 1 ? Long.MAX_VALUE : number(w.substring(colon + 1));
        return new IntRange(min, max);
    }

    private static long number(String w) {
        try {
            return Long.parseLong(w);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid integer pattern '" + w + "'", e);
        }
    }
}
