package io.flagman.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flagman.config.text.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes as a configuration file: {@link ConfigLoader#load} never throws, it only reports diagnostics, and
 * the document it read gives the file's text back byte for byte. Regression inputs live in
 * src/test/resources/io/flagman/config/ConfigFuzzTestInputs/loadsAnyFile/ (see docs/architecture.md).
 */
class ConfigFuzzTest {
    private static final Path DIR = tempDir();

    @FuzzTest(maxDuration = "30s")
    void loadsAnyFile(byte[] input) throws IOException {
        Path file = DIR.resolve("fuzz.cfg");
        Files.write(file, input);
        LoadResult result = ConfigLoader.load(file);

        String text = utf8(input);
        if (text == null) {
            assertThat(result.config()).isNull();
            assertThat(result.diagnostics()).singleElement()
                    .satisfies(d -> assertThat(d.format()).contains("is not valid UTF-8"));
            return;
        }
        assertThat(result.document().text()).isEqualTo(text);
        int lines = result.document().lines().size();
        for (Diagnostic d : result.diagnostics()) {
            assertThat(d.line()).as("%s", d.format()).isBetween(0, lines + 1);
            assertThat(d.format()).as("a diagnostic says what is wrong").isNotBlank();
        }
        if (result.config() != null) {
            assertThat(result.diagnostics()).noneMatch(Diagnostic::isError);
        }
    }

    private static String utf8(byte[] input) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(input)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("flagman-config-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
