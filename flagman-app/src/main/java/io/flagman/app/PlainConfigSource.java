package io.flagman.app;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.text.Diagnostic;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.DataPlane;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration file of {@code flagman run} without the API: a changed (or, on SIGHUP, any) valid file is
 * applied live; an invalid file or a failed apply leaves the running configuration untouched and says why.
 * Used from the watcher's thread only.
 */
final class PlainConfigSource implements ConfigWatcher.ConfigSource {

    private final Path file;
    private final DataPlane dataPlane;
    private final PrintStream err;
    private String lastText;

    PlainConfigSource(Path file, String currentText, DataPlane dataPlane, PrintStream err) {
        this.file = file;
        this.lastText = currentText;
        this.dataPlane = dataPlane;
        this.err = err;
    }

    @Override
    public boolean check(boolean forced) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (forced) {
                err.println("flagman: cannot read " + file + ": " + e.getMessage() + "; configuration unchanged");
            }
            return false;
        }
        if (!forced && text.equals(lastText)) {
            return false;
        }
        lastText = text;
        LoadResult loaded = ConfigLoader.fromText(file.toString(), text, file.toAbsolutePath().getParent());
        for (Diagnostic d : loaded.diagnostics()) {
            err.println(d.format());
        }
        if (!loaded.ok()) {
            err.println("flagman: " + file + " is invalid; the running configuration is unchanged");
            return true;
        }
        try {
            dataPlane.apply(loaded.config());
            err.println("flagman: applied " + file + " live");
        } catch (ApplyException e) {
            err.println("flagman: cannot apply " + file + ": " + e.getMessage()
                    + "; the running configuration is unchanged");
        }
        return true;
    }
}
