package io.flagman.config.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the diagnostics of one parse or validation run. Not thread-safe: one instance per run.
 */
public final class Diagnostics {

    private final String file;
    private final List<Diagnostic> items = new ArrayList<>();

    public Diagnostics(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public void error(int line, int column, String message, String hint) {
        items.add(new Diagnostic(Diagnostic.Severity.ERROR, file, line, column, message, hint));
    }

    public void error(int line, int column, String message) {
        error(line, column, message, null);
    }

    public void warning(int line, int column, String message, String hint) {
        items.add(new Diagnostic(Diagnostic.Severity.WARNING, file, line, column, message, hint));
    }

    public void warning(int line, int column, String message) {
        warning(line, column, message, null);
    }

    public void add(Diagnostic diagnostic) {
        items.add(diagnostic);
    }

    public void addAll(Diagnostics other) {
        items.addAll(other.items);
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(Diagnostic::isError);
    }

    /** All diagnostics, sorted by line then column (stable for equal positions). */
    public List<Diagnostic> all() {
        List<Diagnostic> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
                : Integer.compare(a.column(), b.column()));
        return List.copyOf(sorted);
    }

    public List<Diagnostic> errors() {
        return all().stream().filter(Diagnostic::isError).toList();
    }
}
