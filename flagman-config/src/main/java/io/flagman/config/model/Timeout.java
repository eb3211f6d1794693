package io.flagman.config.model;

/** The kinds of {@code timeout <kind> <duration>}. */
public enum Timeout {
    CONNECT("connect"),
    CLIENT("client"),
    SERVER("server"),
    HTTP_REQUEST("http-request"),
    HTTP_KEEP_ALIVE("http-keep-alive"),
    QUEUE("queue"),
    TUNNEL("tunnel"),
    CLIENT_FIN("client-fin"),
    SERVER_FIN("server-fin"),
    CHECK("check"),
    TARPIT("tarpit"),
    CLIENT_HS("client-hs");

    private final String keyword;

    Timeout(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Timeout fromKeyword(String word) {
        for (Timeout t : values()) {
            if (t.keyword.equals(word)) {
                return t;
            }
        }
        return null;
    }
}
