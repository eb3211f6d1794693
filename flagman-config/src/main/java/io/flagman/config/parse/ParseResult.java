package io.flagman.config.parse;

import io.flagman.config.model.Config;
import io.flagman.config.text.Diagnostic;
import java.util.List;

/**
 * The outcome of parsing a document.
 *
 * @param config the model, null when any diagnostic is an error
 * @param diagnostics errors and warnings in line order
 */
public record ParseResult(Config config, List<Diagnostic> diagnostics) {
    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean ok() {
        return config != null;
    }
}
