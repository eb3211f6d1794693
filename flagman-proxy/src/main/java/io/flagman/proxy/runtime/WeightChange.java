package io.flagman.proxy.runtime;

import io.flagman.config.model.Balance;

/**
 * HAProxy's weight argument ({@code 50}, {@code 50%} of the configured weight), with its error texts. A static
 * algorithm ({@code static-rr}, hashing by source/uri/url_param/hdr) only takes 0 and the configured weight.
 */
record WeightChange(int weight, String error) {

    static WeightChange parse(String text, int initial, Balance.Algorithm algorithm) {
        if (text == null || text.isEmpty()) {
            return fail("Require <weight> or <weight%>.");
        }
        int end = 0;
        if (end < text.length() && (text.charAt(end) == '-' || text.charAt(end) == '+')) {
            end++;
        }
        int digits = end;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        if (end == digits) {
            return fail("Empty weight string empty or preceded by garbage");
        }
        long w = parse(text.substring(0, end));
        String rest = text.substring(end);
        if (rest.equals("%")) {
            if (w < 0) {
                return fail("Relative weight must be positive.");
            }
            w = Math.min(w, 25_600);
            w = Math.min(256, initial * w / 100);
        } else if (w < 0 || w > 256) {
            return fail("Absolute weight can only be between 0 and 256 inclusive.");
        } else if (!rest.isEmpty()) {
            return fail("Trailing garbage in weight string");
        }
        if (w != 0 && w != initial && !dynamic(algorithm)) {
            return fail("Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.");
        }
        return new WeightChange((int) w, null);
    }

    private static long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Algorithms whose weights can change at runtime (HAProxy's BE_LB_PROP_DYN). */
    static boolean dynamic(Balance.Algorithm a) {
        return switch (a) {
            case ROUNDROBIN, LEASTCONN, FIRST, RANDOM -> true;
            case STATIC_RR, SOURCE, URI, URL_PARAM, HDR -> false;
        };
    }

    private static WeightChange fail(String text) {
        return new WeightChange(-1, text);
    }
}
