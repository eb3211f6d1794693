package io.flagman.config.edit;

/** An edit that cannot be made to a document: the API maps {@link Kind} to 404, 409 or 400. */
public final class EditException extends Exception {

    public enum Kind {
        /** The section or directive addressed does not exist (API: 404). */
        NOT_FOUND,
        /** A section or named directive with that name exists already (API: 409). */
        ALREADY_EXISTS,
        /** An index beyond the list for an insert (API: 400). */
        OUT_OF_RANGE,
        /** The parent section of a child does not exist (API: 400 "missing parent"). */
        MISSING_PARENT
    }

    private final Kind kind;

    public EditException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
