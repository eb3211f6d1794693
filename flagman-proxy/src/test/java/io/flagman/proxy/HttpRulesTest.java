package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpRulesTest {
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();
    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        proxy.close();
        web.close();
    }

    @Test
    void returnLfFileIsServedWithoutAServer() throws Exception {
        Path page = dir.resolve("404.html");
        Files.writeString(page, "<p>not here: %[path]</p>");
        proxy.apply("""
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  default_backend fallback
                backend fallback
                  http-request return status 404 content-type "text/html" lf-file %s
                """.formatted(page));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response r = c.get("/missing", "x");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("content-type")).isEqualTo("text/html");
            assertThat(r.body()).isEqualTo("<p>not here: /missing</p>");
            assertThat(c.get("/again", "x").status()).isEqualTo(404);
        }
    }

    @Test
    void authAcceptsACryptHashedUser() throws Exception {
        // $6$ = SHA-512-crypt of "Hello world!" (Drepper's test vector; `openssl passwd -6 -salt saltstring`).
        proxy.apply("""
                userlist users
                  user carol password $6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  acl authed http_auth(users)
                  http-request auth realm Private unless authed
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(web.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/", "x").status()).isEqualTo(401);
            String good = Base64.getEncoder().encodeToString("carol:Hello world!".getBytes(StandardCharsets.UTF_8));
            c.send("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + good + "\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(200);
            String bad = Base64.getEncoder().encodeToString("carol:Hello world".getBytes(StandardCharsets.UTF_8));
            c.send("GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + bad + "\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(401);
        }
        assertThat(web.requests).hasSize(1);
    }

    @Test
    void redirectAuthAndResponseHeaders() throws Exception {
        proxy.apply("""
                userlist users
                  user alice insecure-password secret
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  acl authed http_auth(users)
                  http-request redirect location https://example.com/moved code 301 if { path_beg /old }
                  http-request redirect scheme https if { path_beg /secure }
                  http-request auth realm Private if { path_beg /admin } !authed
                  http-request del-header X-Secret
                  http-response set-header X-Served-By flagman
                  http-response del-header X-Backend
                  default_backend be
                backend be
                  server w1 %s
                """.formatted(web.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response r = c.get("/old/page", "x");
            assertThat(r.status()).isEqualTo(301);
            assertThat(r.header("location")).isEqualTo("https://example.com/moved");
            r = c.get("/secure/a?b=1", "host.test");
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.header("location")).isEqualTo("https://host.test/secure/a?b=1");
            r = c.get("/admin", "x");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("www-authenticate")).isEqualTo("Basic realm=\"Private\"");
            String good = Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
            c.send("GET /admin HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + good
                    + "\r\nX-Secret: 1\r\n\r\n");
            r = c.read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("x-served-by")).isEqualTo("flagman");
            assertThat(r.header("x-backend")).isNull();
            String bad = Base64.getEncoder().encodeToString("alice:wrong".getBytes(StandardCharsets.UTF_8));
            c.send("GET /admin HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + bad + "\r\n\r\n");
            assertThat(c.read(false).status()).isEqualTo(401);
        }
        assertThat(web.requests).hasSize(1);
        assertThat(web.last().header("X-Secret")).isNull();
        assertThat(web.last().header("Authorization")).isNotNull();
    }

    @Test
    void errorfileReplacesGenerated503() throws Exception {
        Path f = dir.resolve("503.http");
        Files.writeString(f, "HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nsorry\n");
        proxy.apply("""
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  errorfile 503 %s
                  server w1 %s disabled
                """.formatted(f, web.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response r = c.get("/", "x");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.body()).isEqualTo("sorry\n");
            assertThat(r.header("content-type")).isEqualTo("text/plain");
        }
    }
}
