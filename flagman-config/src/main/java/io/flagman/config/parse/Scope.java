package io.flagman.config.parse;

/** The kinds of section a keyword may appear in; {@code listen} is both {@link #FRONTEND} and {@link #BACKEND}. */
enum Scope {
    GLOBAL("global"),
    DEFAULTS("defaults"),
    FRONTEND("frontend"),
    BACKEND("backend"),
    USERLIST("userlist");

    private final String keyword;

    Scope(String keyword) {
        this.keyword = keyword;
    }

    String keyword() {
        return keyword;
    }

    /** "a frontend", "a defaults section": for messages. */
    String article() {
        return switch (this) {
            case GLOBAL -> "the global section";
            case DEFAULTS -> "a defaults section";
            case FRONTEND -> "a frontend";
            case BACKEND -> "a backend";
            case USERLIST -> "a userlist";
        };
    }
}
