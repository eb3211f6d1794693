package io.flagman.config.model;

/** ACL match methods ({@code -m <method>} or implied by a fetch suffix such as {@code _beg}). */
public enum Match {
    STR("str"),
    BEG("beg"),
    END("end"),
    SUB("sub"),
    REG("reg"),
    DOM("dom"),
    DIR("dir"),
    LEN("len"),
    IP("ip"),
    INT("int"),
    BOOL("bool"),
    FOUND("found");

    private final String keyword;

    Match(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Match fromKeyword(String word) {
        for (Match m : values()) {
            if (m.keyword.equals(word)) {
                return m;
            }
        }
        return null;
    }
}
