package io.flagman.config.text;

/**
 * One problem found in a configuration: where, what was found, what was expected, and how to fix it.
 *
 * @param file the file name as given to the parser
 * @param line 1-based line, 0 when the problem is not tied to a line
 * @param column 1-based column, 0 when unknown
 * @param message what is wrong, naming the offending value
 * @param hint how to fix it ("did you mean 'default_backend'?"), or null
 */
public record Diagnostic(Severity severity, String file, int line, int column, String message, String hint) {

    public enum Severity {
        ERROR,
        WARNING
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line:column: error: message (hint)} — the form compilers and editors understand. */
    public String format() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        out.append(": ").append(severity == Severity.ERROR ? "error" : "warning").append(": ").append(message);
        if (hint != null) {
            out.append("; ").append(hint);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
