package io.flagman.config;

import io.flagman.config.model.Config;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import java.util.List;

/**
 * A configuration read and checked: the document (for loss-free edits), the model (null when any error was
 * found) and every diagnostic of every layer (lexing, syntax, meaning), sorted by line.
 */
public record LoadResult(ConfigDocument document, Config config, List<Diagnostic> diagnostics) {
    public LoadResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean ok() {
        return config != null;
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }
}
