package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, defect 4: {@code http-request auth} against a SHA-512-crypt userlist on a real data plane. Many
 * requests with the right credentials all pass (they are answered from the credential cache after the first);
 * over-long credentials are refused with 401 without being decoded or hashed; a new configuration with a changed
 * password is not answered from the old cache.
 */
class HttpAuthTest {
    // SHA-512-crypt, rounds=5000 (the default), of "Hello world!": Drepper's test vector
    // (`openssl passwd -6 -salt saltstring 'Hello world!'`).
    private static final String HASH = "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4"
            + "OTLiBFdcbYEdFCoEOfaS35inz1";

    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();

    @AfterEach
    void tearDown() {
        proxy.close();
        web.close();
    }

    private void apply(String user) throws ApplyException {
        proxy.apply("""
                userlist users
                  %s
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  http-request auth realm Private unless { http_auth(users) }
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(user, web.address()));
    }

    private static String basic(String userColonPassword) {
        return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static RawHttp.Response get(RawHttp c, String authorizationLine) throws Exception {
        c.send("GET / HTTP/1.1\r\nHost: x\r\n" + authorizationLine + "\r\n\r\n");
        return c.read(false);
    }

    @Test
    void manyRequestsWithTheRightCredentialsPass() throws Exception {
        apply("user carol password " + HASH);
        String good = "Authorization: Basic " + basic("carol:Hello world!");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 500; i++) {
                assertThat(get(c, good).status()).as("request %d", i).isEqualTo(200);
            }
        }
        for (int i = 0; i < 20; i++) {
            try (RawHttp c = new RawHttp(proxy.address("fe"))) {
                // header name and scheme are case-insensitive
                assertThat(get(c, "AUTHORIZATION: basic " + basic("carol:Hello world!")).status()).isEqualTo(200);
            }
        }
        assertThat(web.requests).hasSize(520);
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response wrong = get(c, "Authorization: Basic " + basic("carol:Hello world"));
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.header("www-authenticate")).isEqualTo("Basic realm=\"Private\"");
        }
        assertThat(web.requests).hasSize(520);
    }

    @Test
    void httpAuthGroupAdmitsMembersOfTheNamedGroupsOnly() throws Exception {
        proxy.apply("""
                userlist users
                  group admins users alice
                  group ops
                  user alice insecure-password a1
                  user bob insecure-password b1 groups ops
                  user carol insecure-password c1
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  acl staff http_auth_group(users) admins ops
                  http-request auth realm Staff unless staff
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(web.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(get(c, "Authorization: Basic " + basic("alice:a1")).status()).isEqualTo(200); // group's users
            assertThat(get(c, "Authorization: Basic " + basic("bob:b1")).status()).isEqualTo(200); // user's groups
            assertThat(get(c, "Authorization: Basic " + basic("carol:c1")).status()).isEqualTo(401); // in no group
            assertThat(get(c, "Authorization: Basic " + basic("alice:wrong")).status()).isEqualTo(401);
            assertThat(get(c, "Authorization: Basic " + basic("nobody:a1")).status()).isEqualTo(401);
        }
        assertThat(web.requests).hasSize(2);
    }

    @Test
    void overLongCredentialsGet401() throws Exception {
        apply("user carol password " + HASH);
        // The right user and a 6,000-character password: beyond the cap, refused without hashing.
        String longOne = "Authorization: Basic " + basic("carol:" + "x".repeat(6000));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 50; i++) {
                RawHttp.Response r = get(c, longOne);
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.header("www-authenticate")).isEqualTo("Basic realm=\"Private\"");
            }
            assertThat(get(c, "Authorization: Basic " + basic("carol:Hello world!")).status()).isEqualTo(200);
        }
        assertThat(web.requests).hasSize(1);
    }

    @Test
    void malformedCredentialsGet401() throws Exception {
        apply("user carol password " + HASH);
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(get(c, "Authorization: Basic !!notbase64!!").status()).isEqualTo(401);
            assertThat(get(c, "Authorization: Basic " + basic("carolHello world!")).status()).isEqualTo(401);
            assertThat(get(c, "Authorization: Basic " + basic(":Hello world!")).status()).isEqualTo(401);
            assertThat(get(c, "Authorization: Bearer " + basic("carol:Hello world!")).status()).isEqualTo(401);
            assertThat(get(c, "X-Nothing: 1").status()).isEqualTo(401);
        }
        assertThat(web.requests).isEmpty();
    }

    @Test
    void aChangedPasswordIsNotAnsweredFromTheOldConfigurationsCache() throws Exception {
        apply("user carol password " + HASH);
        String old = "Authorization: Basic " + basic("carol:Hello world!");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(get(c, old).status()).isEqualTo(200);
            assertThat(get(c, old).status()).isEqualTo(200);
            apply("user carol insecure-password changed");
            assertThat(get(c, old).status()).isEqualTo(401);
            assertThat(get(c, "Authorization: Basic " + basic("carol:changed")).status()).isEqualTo(200);
        }
    }
}
