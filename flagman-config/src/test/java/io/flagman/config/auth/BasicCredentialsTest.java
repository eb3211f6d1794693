package io.flagman.config.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one Basic-auth parser of both planes (RFC 7617), its refusals and its length cap. */
class BasicCredentialsTest {

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String basic(String userColonPassword) {
        return "Basic " + b64(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<BasicCredentials> parse(String header) {
        return BasicCredentials.parse(header);
    }

    @Test
    void splitsAtTheFirstColon() {
        assertThat(parse(basic("alice:s3cr:et"))).contains(new BasicCredentials("alice", "s3cr:et"));
        assertThat(parse(basic("alice:"))).contains(new BasicCredentials("alice", ""));
        assertThat(parse(basic("żółw:hasło"))).contains(new BasicCredentials("żółw", "hasło"));
    }

    @Test
    void theSchemeIsCaseInsensitiveAndSurroundingWhitespaceIsOptional() {
        String token = b64("alice:pw".getBytes(StandardCharsets.UTF_8));
        BasicCredentials want = new BasicCredentials("alice", "pw");
        assertThat(parse("basic " + token)).contains(want);
        assertThat(parse("BASIC " + token)).contains(want);
        assertThat(parse("bAsIc\t" + token)).contains(want);
        assertThat(parse("  Basic   " + token + "  ")).contains(want);
    }

    @Test
    void refusesOtherSchemesAndAMissingSpace() {
        String token = b64("alice:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(parse(null)).isEmpty();
        assertThat(parse("")).isEmpty();
        assertThat(parse("Basic")).isEmpty();
        assertThat(parse("Basic ")).isEmpty();
        assertThat(parse("Basic" + token)).isEmpty();
        assertThat(parse("Bearer " + token)).isEmpty();
        assertThat(parse("Basicx " + token)).isEmpty();
        assertThat(parse(token)).isEmpty();
    }

    @Test
    void refusesMalformedBase64() {
        assertThat(parse("Basic !!!!")).isEmpty();
        assertThat(parse("Basic YWxpY2U6cHc=garbage")).isEmpty();
        assertThat(parse("Basic YWxp Y2U6cHc=")).isEmpty();
        assertThat(parse("Basic YWxpY2U6cHc")).contains(new BasicCredentials("alice", "pw")); // padding optional
    }

    @Test
    void refusesAMissingColonAnEmptyUserAndControlCharacters() {
        assertThat(parse(basic("alice"))).isEmpty();
        assertThat(parse(basic(":pw"))).isEmpty();
        assertThat(parse(basic(":"))).isEmpty();
        assertThat(parse(basic("al\u0000ice:pw"))).isEmpty();
        assertThat(parse(basic("alice:p\nw"))).isEmpty();
        assertThat(parse(basic("alice:p\u007fw"))).isEmpty();
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        // "alice:" then 0xff 0xfe: not UTF-8 (a lenient decoder would turn them into U+FFFD, and two different
        // passwords into the same string)
        byte[] bytes = {'a', 'l', 'i', 'c', 'e', ':', (byte) 0xff, (byte) 0xfe};
        assertThat(parse("Basic " + b64(bytes))).isEmpty();
        byte[] latin1 = "alice:caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parse("Basic " + b64(latin1))).isEmpty();
    }

    @Test
    void capsTheHeaderLength() {
        String fits = "Basic " + b64(("u:" + "p".repeat(760)).getBytes(StandardCharsets.UTF_8));
        assertThat(fits.length()).isLessThanOrEqualTo(BasicCredentials.MAX_HEADER_LENGTH);
        assertThat(parse(fits)).isPresent();
        String tooLong = "Basic " + b64(("u:" + "p".repeat(800)).getBytes(StandardCharsets.UTF_8));
        assertThat(tooLong.length()).isGreaterThan(BasicCredentials.MAX_HEADER_LENGTH);
        assertThat(parse(tooLong)).isEmpty();
        assertThat(parse(" ".repeat(BasicCredentials.MAX_HEADER_LENGTH) + basic("u:p"))).isEmpty();
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(new BasicCredentials("alice", "hunter2").toString()).contains("alice").doesNotContain("hunter2");
    }
}
