package io.flagman.proxy.runtime;

/** What a command answers, before the trailer. */
sealed interface Reply {
    /** Syslog severities, as {@code set severity-output} prints them. */
    int ERR = 3;
    int WARNING = 4;
    int INFO = 6;

    /** Success with nothing to say: the trailer only. */
    record Empty() implements Reply {}

    /** A short reply (an error, a confirmation): one line, prefixed by its severity when the session asks. */
    record Message(int severity, String text) implements Reply {}

    /** A data dump ({@code show …}, {@code help}): printed as is, never prefixed. Ends in LF unless empty. */
    record Dump(String text) implements Reply {}

    /** {@code quit}: close now, with no output. */
    record Quit() implements Reply {}

    Reply EMPTY = new Empty();
    Reply PERMISSION_DENIED = new Message(ERR, "Permission denied");

    static Reply error(String text) {
        return new Message(ERR, text);
    }

    static Reply info(String text) {
        return new Message(INFO, text);
    }

    static Reply dump(String text) {
        return new Dump(text);
    }
}
