package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.text.ConfigDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Parse then write gives back every corpus file and both seed configurations byte for byte. */
class RoundTripCorpusTest {

    @TestFactory
    Stream<DynamicTest> everyFileRoundTripsByteForByte() {
        List<Path> files = new ArrayList<>();
        Corpus.files().forEach(f -> files.add(Corpus.root().resolve(f)));
        files.add(Corpus.resource("seed").resolve("haproxy.cfg"));
        files.add(Corpus.resource("seed").resolve("haproxy-lb.cfg"));
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getParent().getFileName() + "/" + p.getFileName(), () -> {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            assertThat(ConfigDocument.parse(p.getFileName().toString(), text).text()).isEqualTo(text);
        }));
    }

    @TestFactory
    Stream<DynamicTest> roundTripCoversTheTrickyForms() throws IOException {
        String all = String.join("\n", readAll());
        return Stream.of("\r\n", "\t", "\"", "'", "\\", "${", "#").map(form -> DynamicTest.dynamicTest(
                "corpus contains " + form.replace("\r\n", "CRLF").replace("\t", "TAB"),
                () -> assertThat(all).contains(form)));
    }

    private static List<String> readAll() throws IOException {
        List<String> texts = new ArrayList<>();
        for (String f : Corpus.files()) {
            texts.add(Files.readString(Corpus.root().resolve(f), StandardCharsets.UTF_8));
        }
        return texts;
    }
}
