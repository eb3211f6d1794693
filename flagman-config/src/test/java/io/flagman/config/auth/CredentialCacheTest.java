package io.flagman.config.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The verified-credentials cache: hits skip the crypt, it stays within its bound, failures never evict successes. */
class CredentialCacheTest {
    // SHA-512-crypt (rounds=5000, the default) of "Hello world!": Drepper's test vector.
    private static final String HASH = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4"
            + "OTLiBFdcbYEdFCoEOfaS35inz1";

    private final AtomicInteger crypts = new AtomicInteger();
    /** The seam: the real check, counting each crypt it runs. */
    private final Predicate<BasicCredentials> verifier = c -> {
        crypts.incrementAndGet();
        return c.user().equals("carol") && Crypt.matches(c.password(), HASH, true);
    };

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean check(CredentialCache cache, String header) {
        return BasicCredentials.parse(header).map(c -> cache.verify(header, c)).orElse(false);
    }

    @Test
    void aRepeatedSuccessIsAnsweredWithoutHashing() {
        CredentialCache cache = new CredentialCache(16, verifier);
        String good = basic("carol:Hello world!");
        for (int i = 0; i < 100; i++) {
            assertThat(check(cache, good)).isTrue();
        }
        assertThat(crypts).hasValue(1);
    }

    @Test
    void aRepeatedFailureIsAnsweredWithoutHashingAndNeverBecomesASuccess() {
        CredentialCache cache = new CredentialCache(16, verifier);
        String bad = basic("carol:Hello world");
        for (int i = 0; i < 50; i++) {
            assertThat(check(cache, bad)).isFalse();
        }
        assertThat(crypts).hasValue(1);
        assertThat(check(cache, basic("carol:Hello world!"))).isTrue();
        assertThat(check(cache, bad)).isFalse();
        assertThat(crypts).hasValue(2);
    }

    @Test
    void aDifferentHeaderValueIsCheckedAgain() {
        CredentialCache cache = new CredentialCache(16, verifier);
        assertThat(check(cache, basic("carol:Hello world!"))).isTrue();
        assertThat(check(cache, "basic " + basic("carol:Hello world!").substring(6))).isTrue();
        assertThat(crypts).hasValue(2);
    }

    @Test
    void staysWithinItsBound() {
        CredentialCache cache = new CredentialCache(5, verifier);
        assertThat(cache.capacity()).isEqualTo(8);
        for (int i = 0; i < 500; i++) {
            check(cache, basic("user" + i + ":pw"));
            assertThat(cache.size()).isLessThanOrEqualTo(2 * cache.capacity());
        }
        assertThat(crypts).hasValue(500);
        assertThat(cache.size()).isLessThanOrEqualTo(cache.capacity()); // failures only: one table
    }

    @Test
    void aFloodOfWrongCredentialsDoesNotEvictASuccess() {
        CredentialCache cache = new CredentialCache(4, verifier);
        String good = basic("carol:Hello world!");
        assertThat(check(cache, good)).isTrue();
        for (int i = 0; i < 200; i++) {
            assertThat(check(cache, basic("carol:guess" + i))).isFalse();
        }
        int before = crypts.get();
        assertThat(check(cache, good)).isTrue();
        assertThat(crypts).hasValue(before);
    }

    @Test
    void concurrentCheckersAgree() throws Exception {
        CredentialCache cache = new CredentialCache(8, verifier);
        String good = basic("carol:Hello world!");
        String bad = basic("carol:nope");
        AtomicInteger wrong = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 200; i++) {
                    if (!check(cache, good) || check(cache, bad)) {
                        wrong.incrementAndGet();
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
        assertThat(wrong).hasValue(0);
        assertThat(crypts.get()).isLessThanOrEqualTo(2 * threads.length);
    }
}
