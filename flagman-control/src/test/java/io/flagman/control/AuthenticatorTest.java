package io.flagman.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.control.auth.Authenticator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    @Test
    void authenticatorChecksClearAndHashedUsers() {
        Authenticator a = new Authenticator(List.of(new Authenticator.User("plain", "pw", false),
                new Authenticator.User("hashed", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", true)));
        assertThat(a.check(basic("plain:pw")).ok()).isTrue();
        assertThat(a.check(basic("hashed:Hello world!")).ok()).isTrue();
        assertThat(a.check(basic("hashed:nope")).message()).isEqualTo("unauthorized");
        assertThat(a.check(basic("ghost:pw")).message()).isEqualTo("unauthorized");
        assertThat(a.check(null).message()).isEqualTo("missing or invalid authorization");
        assertThat(new Authenticator(List.of()).check(basic("a:b")).message()).isEqualTo("no configured users");
    }

    @Test
    void theSharedParserRefusesOverLongAndMalformedHeaders() {
        Authenticator a = new Authenticator(List.of(new Authenticator.User("plain", "pw", false)));
        assertThat(a.check(basic("plain:" + "x".repeat(2000))).message())
                .isEqualTo("missing or invalid authorization");
        assertThat(a.check("Basic !!!").message()).isEqualTo("missing or invalid authorization");
        assertThat(a.check(basic("plainpw")).message()).isEqualTo("missing or invalid authorization");
        assertThat(a.check("basic " + basic("plain:pw").substring(6)).ok()).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(a.check(basic("plain:pw")).ok()).isTrue(); // answered from the cache after the first
            assertThat(a.check(basic("plain:pW")).ok()).isFalse();
        }
    }

    private static String basic(String s) {
        return "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
