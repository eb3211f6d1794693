package io.flagman.config.model;

/** How the payload of {@code http-request return|deny} is given. */
public enum ContentFormat {
    DEFAULT_ERRORFILES("default-errorfiles"),
    ERRORFILE("errorfile"),
    ERRORFILES("errorfiles"),
    FILE("file"),
    LF_FILE("lf-file"),
    STRING("string"),
    LF_STRING("lf-string");

    private final String keyword;

    ContentFormat(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static ContentFormat fromKeyword(String word) {
        for (ContentFormat f : values()) {
            if (f.keyword.equals(word)) {
                return f;
            }
        }
        return null;
    }
}
