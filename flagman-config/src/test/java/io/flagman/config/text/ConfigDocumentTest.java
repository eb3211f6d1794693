package io.flagman.config.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigDocumentTest {

    private static final String CFG = """
            # top comment
            global
              maxconn 256

            defaults
                mode http   # trailing comment
            \ttimeout client 10s

            backend app
              balance roundrobin
              server s1 127.0.0.1:8001 check
              server s2 127.0.0.1:8002

            # trailing block comment
            """;

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "global", "global\n", "global\r\n  maxconn 1\r\n", "a\n\n\n", "x \"unterminated\n",
            "  \t \n# c\n", "global\n  maxconn 1"})
    void textIsExactlyWhatWasParsed(String text) {
        assertThat(ConfigDocument.parse("t.cfg", text).text()).isEqualTo(text);
    }

    @Test
    void findsSectionsAndTheirLines() {
        ConfigDocument doc = ConfigDocument.parse("t.cfg", CFG);
        assertThat(doc.sections()).extracting(Section::keyword).containsExactly("global", "defaults", "backend");
        Section app = doc.section("backend", "app");
        assertThat(app.header()).isEqualTo(8);
        assertThat(app.end()).isEqualTo(doc.lines().size());
        assertThat(doc.directives(app, "server")).containsExactly(10, 11);
        assertThat(doc.endOfDirectives(app)).isEqualTo(12);
        assertThat(doc.indentOf(doc.section("defaults", null))).isEqualTo("    ");
    }

    @Test
    void insertTouchesOnlyTheNewLine() {
        ConfigDocument doc = ConfigDocument.parse("t.cfg", CFG);
        Section app = doc.section("backend", "app");
        ConfigDocument edited = doc.insert(doc.endOfDirectives(app),
                List.of(doc.directiveText(app, List.of("server", "s3", "127.0.0.1:8003", "weight", "2"))));
        assertThat(edited.text()).isEqualTo(CFG.replace("127.0.0.1:8002\n",
                "127.0.0.1:8002\n  server s3 127.0.0.1:8003 weight 2\n"));
    }

    @Test
    void removeAndReplaceTouchOnlyTheirLines() {
        ConfigDocument doc = ConfigDocument.parse("t.cfg", CFG);
        ConfigDocument edited = doc.remove(10, 11).replace(9, "  balance leastconn");
        assertThat(edited.text()).isEqualTo(CFG.replace("  server s1 127.0.0.1:8001 check\n", "")
                .replace("balance roundrobin", "balance leastconn"));
    }

    @Test
    void appendedSectionIsSeparatedByOneBlankLineAndKeepsTheLineEnding() {
        ConfigDocument doc = ConfigDocument.parse("t.cfg", "global\r\n  maxconn 1");
        ConfigDocument edited = doc.appendSection("backend b", List.of(List.of("mode", "http")));
        assertThat(edited.text()).isEqualTo("global\r\n  maxconn 1\r\n\r\nbackend b\r\n  mode http\r\n");
    }

    @Test
    void removingASectionTakesItsLeadingBlankLinesAlong() {
        ConfigDocument doc = ConfigDocument.parse("t.cfg", "global\n  maxconn 1\n\nbackend b\n  mode http\n");
        assertThat(doc.removeSection(doc.section("backend", "b")).text()).isEqualTo("global\n  maxconn 1\n");
    }

    @Test
    void lexErrorsCarryLineAndColumn() {
        ConfigDocument doc = ConfigDocument.parse("t.cfg", "global\n  log \"stdout\n");
        assertThat(doc.lexErrors()).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(2);
            assertThat(d.column()).isEqualTo(7);
            assertThat(d.format()).startsWith("t.cfg:2:7: error: unterminated double quote");
        });
    }
}
