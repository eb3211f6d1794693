package io.flagman.config.validate;

import io.flagman.config.model.Config;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import io.flagman.config.text.Diagnostics;
import java.nio.file.Path;
import java.util.List;

/**
 * The meaning layer over a parsed {@link Config}: every reference resolves, names and binds are unique, ports
 * are in range, regexes compile, referenced files exist, and every rule, fetch and option can take effect in
 * its proxy's mode (with HAProxy's missing-timeouts warning). All problems are reported in one run, each with
 * its line, column when known, what was found, what was expected and a hint.
 *
 * <p>Stateless and thread-safe. Runs only on a model the parser accepted (no syntax errors).
 */
public final class ConfigValidator {

    private ConfigValidator() {}

    /**
     * Validates a model that has no source text at hand (e.g. built by the API): diagnostics carry the lines
     * stored in the model and no columns.
     *
     * @param baseDir the directory relative file names are resolved against
     */
    public static List<Diagnostic> validate(Config config, String fileName, Path baseDir) {
        return run(config, new Diagnostics(fileName), new Positions(null), baseDir);
    }

    /** Validates a model parsed from {@code document}; diagnostics point at the offending word. */
    public static List<Diagnostic> validate(Config config, ConfigDocument document, Path baseDir) {
        return run(config, new Diagnostics(document.fileName()), new Positions(document), baseDir);
    }

    private static List<Diagnostic> run(Config config, Diagnostics out, Positions positions, Path baseDir) {
        Context ctx = new Context(config, out, positions, baseDir);
        new UniquenessRules(ctx).check();
        new ReferenceRules(ctx).check();
        new ResourceRules(ctx).check();
        new ModeRules(ctx).check();
        // A listen section is both a frontend and a backend in the model: report its problems once.
        return out.all().stream().distinct().toList();
    }
}
