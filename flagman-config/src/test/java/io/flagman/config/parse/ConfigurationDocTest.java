package io.flagman.config.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/configuration.md stays true: it names every keyword of every table, with the parser's own usage lines. */
class ConfigurationDocTest {

    static String doc() throws IOException {
        Path p = Path.of("..", "docs", "configuration.md");
        return Files.readString(p);
    }

    @Test
    void everyKeywordIsDocumented() throws IOException {
        String doc = doc();
        for (Map<String, ? extends Keyword<?>> table : List.of(KeywordTables.GLOBAL, KeywordTables.PROXY,
                KeywordTables.USERLIST)) {
            for (Keyword<?> k : table.values()) {
                assertThat(doc).as("keyword %s", k.name()).contains("`" + k.name() + "`");
                if (k.support() == Keyword.Support.SUPPORTED) {
                    // Tables escape '|' inside cells.
                    assertThat(doc).as("usage of %s", k.name()).contains("`" + k.usage().replace("|", "\\|") + "`");
                }
            }
        }
    }
}
