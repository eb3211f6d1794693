package io.flagman.config.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CryptTest {

    @Test
    void shaCryptMatchesTheSpecificationVectors() {
        // Ulrich Drepper's SHA-crypt specification, test vectors 1 and 2 (and openssl passwd -5/-6).
        assertThat(Crypt.crypt("Hello world!", "$5$saltstring"))
                .isEqualTo("$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5");
        assertThat(Crypt.crypt("Hello world!", "$6$saltstring")).isEqualTo("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQ"
                + "d8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");
        assertThat(Crypt.crypt("Hello world!", "$5$rounds=10000$saltstringsaltstring"))
                .isEqualTo("$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA");
        assertThat(Crypt.crypt("Hello world!", "$6$rounds=10000$saltstringsaltstring"))
                .isEqualTo("$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8v"
                        + "OuZeHBy/YTBmSK6H9qs/y3RnOaw5v.");
        assertThat(Crypt.crypt("abc", "$5$toolongsaltstring123"))
                .isEqualTo("$5$toolongsaltstrin$zWuC03.atMrxrgUS3igR4qdM/.WUAJXwJ1c5Bq5PPeC");
    }

    @Test
    void md5CryptMatchesOpenssl() {
        assertThat(Crypt.crypt("Hello world!", "$1$saltstri")).isEqualTo("$1$saltstri$YMyguxXMBpd2TEZ.vS/3q1");
    }

    @Test
    void verifyAcceptsTheRightPasswordOnly() {
        String hash = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEO"
                + "faS35inz1";
        assertThat(Crypt.verify("Hello world!", hash)).isTrue();
        assertThat(Crypt.verify("Hello world", hash)).isFalse();
        assertThat(Crypt.verify("x", "$2y$10$bcryptisnotsupported")).isFalse();
    }
}
