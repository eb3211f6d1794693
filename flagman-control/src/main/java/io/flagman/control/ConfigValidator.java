package io.flagman.control;

import io.flagman.config.LoadResult;
import java.nio.file.Path;

/**
 * Compiles a candidate configuration text: syntax and meaning. The control plane uses
 * {@code io.flagman.config.ConfigLoader::fromText}, the same code the data plane's configuration comes from.
 */
@FunctionalInterface
public interface ConfigValidator {
    LoadResult validate(String fileName, String text, Path baseDir);
}
