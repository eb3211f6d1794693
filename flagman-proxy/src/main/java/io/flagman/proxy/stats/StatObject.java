package io.flagman.proxy.stats;

/**
 * The kinds of object a {@code show stat} row describes, with HAProxy's codes: the CSV {@code type} column, the
 * {@code <type>} bitmask of {@code show stat <iid> <type> <sid>}, the letter of {@code typed} lines and the
 * {@code objType} of {@code json}.
 */
public enum StatObject {
    FRONTEND('F', 0, 1, "Frontend"),
    BACKEND('B', 1, 2, "Backend"),
    SERVER('S', 2, 4, "Server"),
    LISTENER('L', 3, 8, "Listener");

    private final char letter;
    private final int type;
    private final int mask;
    private final String jsonName;

    StatObject(char letter, int type, int mask, String jsonName) {
        this.letter = letter;
        this.type = type;
        this.mask = mask;
        this.jsonName = jsonName;
    }

    public char letter() {
        return letter;
    }

    /** The CSV {@code type} column: 0 frontend, 1 backend, 2 server, 3 listener. */
    public int type() {
        return type;
    }

    /** The bit of this kind in {@code show stat}'s {@code <type>} argument (1, 2, 4, 8). */
    public int mask() {
        return mask;
    }

    public String jsonName() {
        return jsonName;
    }

    /** True when {@code objects} (letters such as {@code "LFBS"}) names this kind. */
    boolean in(String objects) {
        return objects.indexOf(letter) >= 0;
    }
}
