package io.flagman.config.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLexerTest {

    private final ConfigLexer lexer = new ConfigLexer(Map.of("HOME_DIR", "/srv", "EMPTY", "")::get);

    private List<String> words(String line) {
        ConfigLexer.Result r = lexer.split(line);
        assertThat(r.error()).as("error for %s", line).isNull();
        return r.words().stream().map(Token::value).toList();
    }

    @Test
    void splitsOnSpacesAndTabsAndIgnoresIndentation() {
        assertThat(words("  \tserver  s1\t127.0.0.1:80   check")).containsExactly("server", "s1", "127.0.0.1:80", "check");
    }

    @Test
    void hashStartsACommentOutsideQuotes() {
        ConfigLexer.Result r = lexer.split("  bind :80 # public side");
        assertThat(r.words()).extracting(Token::value).containsExactly("bind", ":80");
        assertThat(r.comment()).isEqualTo(" public side");
        assertThat(words("acl a hdr(x) \"#tag\" '#x' \\#y")).containsExactly("acl", "a", "hdr(x)", "#tag", "#x", "#y");
    }

    @Test
    void singleQuotesAreLiteral() {
        assertThat(words("x 'a \\n $HOME_DIR \"b'")).containsExactly("x", "a \\n $HOME_DIR \"b");
    }

    @Test
    void doubleQuotesExpandEnvironmentAndEscapes() {
        assertThat(words("x \"${HOME_DIR}/a b\" \"$HOME_DIR\" \"tab\\there\" \"q\\\"q\" \"[${EMPTY}]\" \"${UNSET}\""))
                .containsExactly("x", "/srv/a b", "/srv", "tab\there", "q\"q", "[]", "");
    }

    @Test
    void outsideQuotesNothingIsExpandedButBackslashEscapes() {
        assertThat(words("x ${HOME_DIR} a\\ b \\x41\\\\")).containsExactly("x", "${HOME_DIR}", "a b", "A\\");
    }

    @Test
    void backslashBeforeAnOrdinaryCharacterIsKeptAsHaproxyDoes() {
        assertThat(words("acl a hdr_reg(host) ^([a-z0-9-]+)\\.example\\.com$ \"\\d+\""))
                .containsExactly("acl", "a", "hdr_reg(host)", "^([a-z0-9-]+)\\.example\\.com$", "\\d+");
    }

    @Test
    void quotesMayStartAndEndInsideAWord() {
        assertThat(words("x pre\"fix and\"'post fix'")).containsExactly("x", "prefix andpost fix");
        assertThat(words("x \"\" ''")).containsExactly("x", "", "");
    }

    @Test
    void reportsColumnsOfWords() {
        ConfigLexer.Result r = lexer.split("  use_backend b1 if x");
        assertThat(r.words()).extracting(Token::column).containsExactly(3, 15, 18, 21);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x \"open", "x 'open", "x trailing\\", "x \\xZZ", "x \"${OPEN\""})
    void malformedLinesAreErrorsWithAColumn(String line) {
        ConfigLexer.Result r = lexer.split(line);
        assertThat(r.error()).isNotNull();
        assertThat(r.errorColumn()).isGreaterThan(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "", "with space", "it's", "a\"b", "back\\slash", "#hash", "$dollar", "tab\tx",
            "new\nline", "mix 'of' \"all\" $X \\"})
    void quoteWritesAWordTheLexerReadsBackUnchanged(String value) {
        String line = "k " + ConfigLexer.quote(value);
        assertThat(words(line)).containsExactly("k", value);
    }
}
