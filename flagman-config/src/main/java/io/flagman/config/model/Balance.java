package io.flagman.config.model;

/**
 * {@code balance <algorithm> [<arguments>]}.
 *
 * @param argument the header name for {@code hdr(<name>)}, the parameter for {@code url_param}, the draw count
 *     for {@code random(<n>)}; null otherwise
 */
public record Balance(Algorithm algorithm, String argument) {

    public static final Balance ROUND_ROBIN = new Balance(Algorithm.ROUNDROBIN, null);

    public enum Algorithm {
        ROUNDROBIN("roundrobin"),
        STATIC_RR("static-rr"),
        LEASTCONN("leastconn"),
        FIRST("first"),
        SOURCE("source"),
        URI("uri"),
        URL_PARAM("url_param"),
        HDR("hdr"),
        RANDOM("random");

        private final String keyword;

        Algorithm(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }

        public static Algorithm fromKeyword(String word) {
            for (Algorithm a : values()) {
                if (a.keyword.equals(word)) {
                    return a;
                }
            }
            return null;
        }
    }
}
