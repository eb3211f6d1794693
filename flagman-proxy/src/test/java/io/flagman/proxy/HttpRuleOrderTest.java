package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code http-request} rules in order with HAProxy's semantics (log-format values, add/del, allow stopping the
 * list, deny with a status or an errorfile, redirects, return), {@code use_backend} evaluated in order with
 * {@code if/unless}, {@code ||}, {@code !} and anonymous ACLs, {@code default_backend}, and the variants of
 * {@code option forwardfor}. Each case checks what the client got and what (if anything) an upstream received.
 */
class HttpRuleOrderTest {
    private final FakeBackend a = new FakeBackend("a");
    private final FakeBackend b = new FakeBackend("b");
    private final FakeBackend c = new FakeBackend("c");
    private final ProxyFixture proxy = new ProxyFixture();
    @TempDir
    Path dir;

    @AfterEach
    void tearDown() {
        proxy.close();
        a.close();
        b.close();
        c.close();
    }

    private int total() {
        return a.requests.size() + b.requests.size() + c.requests.size();
    }

    @Test
    void httpRequestRulesRunInOrderAndStopWhereHaproxyStops() throws Exception {
        Path forbidden = dir.resolve("403.http");
        Files.writeString(forbidden, "HTTP/1.0 403 Forbidden\r\nContent-Type: text/plain\r\n\r\ngo away\n");
        proxy.apply("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                  errorfile 403 %s
                  http-request set-header X-Client %%[src]
                  http-request set-header X-Host-Copy "host=%%[hdr(host)]"
                  http-request add-header X-Multi second
                  http-request del-header X-Remove
                  http-request allow if { path_beg /allowed }
                  http-request set-header X-After-Allow yes
                  http-request deny deny_status 429 if { path_beg /allowed } || { path_beg /limited }
                  http-request deny if { path_beg /forbidden }
                  http-request redirect prefix https://new.example.com code 308 if { path_beg /moved }
                  http-request redirect location https://example.com/login code 302 if { path_beg /login }
                  http-request return status 200 content-type text/plain string pong hdr X-A v if { path /ping }
                  http-request return status 404 content-type text/plain lf-string "no %%[path] here" if { path_beg /missing }
                  default_backend be_a
                backend be_a
                  server s %s
                """.formatted(forbidden, a.address()));
        try (RawHttp cl = new RawHttp(proxy.address("fe"))) {
            cl.send("GET /plain HTTP/1.1\r\nHost: h.example\r\nX-Multi: first\r\nX-Remove: secret\r\n"
                    + "X-Client: spoofed\r\n\r\n");
            assertThat(cl.read(false).body()).isEqualTo("a");
            FakeBackend.Seen seen = a.last();
            assertThat(seen.uri()).isEqualTo("/plain");
            assertThat(seen.headers("X-Client")).containsExactly("127.0.0.1");
            assertThat(seen.headers("X-Host-Copy")).containsExactly("host=h.example");
            assertThat(seen.headers("X-Multi")).containsExactly("first", "second");
            assertThat(seen.header("X-Remove")).isNull();
            assertThat(seen.header("X-After-Allow")).isEqualTo("yes");

            // allow stops the http-request rules: the later set-header and the deny that also matches don't run
            assertThat(cl.get("/allowed/x", "h").body()).isEqualTo("a");
            assertThat(a.last().uri()).isEqualTo("/allowed/x");
            assertThat(a.last().header("X-After-Allow")).isNull();
            assertThat(a.last().header("X-Client")).isEqualTo("127.0.0.1");

            RawHttp.Response r = cl.get("/limited", "h");
            assertThat(r.status()).isEqualTo(429);

            r = cl.get("/forbidden", "h");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).isEqualTo("go away\n");
            assertThat(r.header("content-type")).isEqualTo("text/plain");
        }
        // local answers (deny, redirect, return) keep the connection alive, as in HAProxy 2.6; a fresh one here
        try (RawHttp cl = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response r = cl.get("/moved/deep/page?q=1", "h");
            assertThat(r.status()).isEqualTo(308);
            assertThat(r.header("location")).isEqualTo("https://new.example.com/moved/deep/page?q=1");

            r = cl.get("/login", "h");
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.header("location")).isEqualTo("https://example.com/login");

            r = cl.get("/ping", "h");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("pong");
            assertThat(r.header("content-type")).isEqualTo("text/plain");
            assertThat(r.header("x-a")).isEqualTo("v");

            r = cl.get("/missing/thing", "h");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("no /missing/thing here");
        }
        assertThat(a.requests).extracting(FakeBackend.Seen::uri).containsExactly("/plain", "/allowed/x");
    }

    @Test
    void useBackendRulesAreEvaluatedInOrderThenTheDefault() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                  acl is_api path_beg /api
                  acl local src 127.0.0.0/8
                  use_backend be_a if { hdr(host) -i a.test } || { path_beg /to-a }
                  use_backend be_c if is_api !local
                  use_backend be_b if is_api
                  use_backend be_a if is_api
                  use_backend be_c unless { path_beg /default } || { path_beg /to-b }
                  use_backend be_b if { path_beg /to-b }
                  default_backend be_a
                backend be_a
                  server s %s
                backend be_b
                  server s %s
                backend be_c
                  server s %s
                """.formatted(a.address(), b.address(), c.address()));
        try (RawHttp cl = new RawHttp(proxy.address("fe"))) {
            assertThat(cl.get("/x", "a.test").body()).isEqualTo("a"); // first rule, left of ||
            assertThat(cl.get("/to-a/1", "h").body()).isEqualTo("a"); // first rule, right of ||
            assertThat(cl.get("/api/v1", "h").body()).isEqualTo("b"); // !local false; first matching is be_b
            assertThat(cl.get("/api/v1", "A.TEST").body()).isEqualTo("a"); // -i; earlier rule wins over is_api
            assertThat(cl.get("/other", "h").body()).isEqualTo("c"); // unless
            assertThat(cl.get("/to-b", "h").body()).isEqualTo("b"); // unless not taken, next rule
            assertThat(cl.get("/default", "h").body()).isEqualTo("a"); // no rule: default_backend
        }
        assertThat(a.requests).extracting(FakeBackend.Seen::uri).containsExactly("/x", "/to-a/1", "/api/v1",
                "/default");
        assertThat(b.requests).extracting(FakeBackend.Seen::uri).containsExactly("/api/v1", "/to-b");
        assertThat(c.requests).extracting(FakeBackend.Seen::uri).containsExactly("/other");
    }

    @Test
    void noMatchingRuleAndNoDefaultBackendIs503WithoutUpstreamTraffic() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  use_backend be_a if { path_beg /a }
                backend be_a
                  server s %s
                """.formatted(a.address()));
        try (RawHttp cl = new RawHttp(proxy.address("fe"))) {
            assertThat(cl.get("/nowhere", "h").status()).isEqualTo(503);
        }
        assertThat(total()).isZero();
    }

    @Test
    void forwardForExceptHeaderAndIfNone() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                  use_backend be_except if { path_beg /except }
                  use_backend be_header if { path_beg /header }
                  use_backend be_ifnone if { path_beg /ifnone }
                  default_backend be_plain
                frontend fe_proxied
                  bind 127.0.0.1:2 accept-proxy
                  default_backend be_except
                backend be_plain
                  option forwardfor
                  server s %s
                backend be_except
                  option forwardfor except 127.0.0.0/8
                  server s %s
                backend be_header
                  option forwardfor header X-Real-IP
                  server s %s
                backend be_ifnone
                  option forwardfor if-none
                  server s %s
                """.formatted(a.address(), a.address(), b.address(), c.address()));
        try (RawHttp cl = new RawHttp(proxy.address("fe"))) {
            cl.send("GET /plain HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 192.0.2.1\r\n\r\n");
            assertThat(cl.read(false).status()).isEqualTo(200);
            assertThat(a.last().headers("X-Forwarded-For")).as("appended after the client's value")
                    .containsExactly("192.0.2.1", "127.0.0.1");

            assertThat(cl.get("/except", "h").status()).isEqualTo(200);
            assertThat(a.last().uri()).isEqualTo("/except");
            assertThat(a.last().header("X-Forwarded-For")).as("source in the except network").isNull();

            assertThat(cl.get("/header", "h").status()).isEqualTo(200);
            assertThat(b.last().headers("X-Real-IP")).containsExactly("127.0.0.1");
            assertThat(b.last().header("X-Forwarded-For")).isNull();

            cl.send("GET /ifnone/1 HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 192.0.2.9\r\n\r\n");
            assertThat(cl.read(false).status()).isEqualTo(200);
            assertThat(c.last().headers("X-Forwarded-For")).as("the client's header is kept alone")
                    .containsExactly("192.0.2.9");
            assertThat(cl.get("/ifnone/2", "h").status()).isEqualTo(200);
            assertThat(c.last().headers("X-Forwarded-For")).containsExactly("127.0.0.1");
        }
        try (RawHttp cl = new RawHttp(proxy.address("fe_proxied"))) {
            cl.send("PROXY TCP4 198.51.100.20 10.0.0.1 40000 80\r\n");
            assertThat(cl.get("/from-outside", "h").status()).isEqualTo(200);
        }
        assertThat(a.last().uri()).isEqualTo("/from-outside");
        assertThat(a.last().headers("X-Forwarded-For")).as("PROXY source outside the except network")
                .containsExactly("198.51.100.20");
    }
}
