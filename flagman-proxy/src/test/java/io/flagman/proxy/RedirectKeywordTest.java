package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code redirect} keyword with HAProxy's place in the request's path: after the proxy's {@code http-request}
 * rules (also after an {@code allow}) and before {@code use_backend}; a backend's own redirect rules after the
 * switch; options in any order, {@code set-cookie}/{@code clear-cookie} and {@code ignore-empty}. Each case checks
 * what the client got and what the upstream received.
 */
class RedirectKeywordTest {
    private final FakeBackend a = new FakeBackend("a");
    private final FakeBackend b = new FakeBackend("b");
    private final ProxyFixture proxy = new ProxyFixture();

    @AfterEach
    void tearDown() {
        proxy.close();
        a.close();
        b.close();
    }

    @Test
    void redirectRulesRunAfterHttpRequestRulesAndBeforeTheSwitch() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout client 10s
                  timeout server 10s
                frontend fe
                  bind 127.0.0.1:1
                  http-request allow if { path_beg /allowed }
                  http-request deny deny_status 429 if { path_beg /denied }
                  redirect code 301 location /elsewhere if { path_beg /allowed } || { path_beg /denied }
                  redirect set-cookie SEEN=1 code 303 prefix https://new.example if { path_beg /old }
                  redirect clear-cookie SEEN location /bye if { path /logout }
                  redirect ignore-empty location %%[req.hdr(x-to)] if { path /to }
                  use_backend be_b if { path_beg /b }
                  default_backend be_a
                backend be_a
                  server s %s
                backend be_b
                  redirect prefix /moved-b code 307 if { path_beg /b/legacy }
                  server s %s
                """.formatted(a.address(), b.address()));
        try (RawHttp cl = new RawHttp(proxy.address("fe"))) {
            // allow ends the http-request rules, not the redirect rules that follow them
            RawHttp.Response r = cl.get("/allowed/x", "h");
            assertThat(r.status()).isEqualTo(301);
            assertThat(r.header("location")).isEqualTo("/elsewhere");
            // an http-request deny answers first
            assertThat(cl.get("/denied", "h").status()).isEqualTo(429);

            r = cl.get("/old/page?q=1", "h");
            assertThat(r.status()).isEqualTo(303);
            assertThat(r.header("location")).isEqualTo("https://new.example/old/page?q=1");
            assertThat(r.header("set-cookie")).isEqualTo("SEEN=1; path=/;");

            r = cl.get("/logout", "h");
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.header("location")).isEqualTo("/bye");
            assertThat(r.header("set-cookie")).isEqualTo("SEEN; path=/; Max-Age=0;");

            // ignore-empty: no X-To header, no redirection; the request goes on to the backend
            assertThat(cl.get("/to", "h").body()).isEqualTo("a");
            cl.send("GET /to HTTP/1.1\r\nHost: h\r\nX-To: /there\r\n\r\n");
            r = cl.read(false);
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.header("location")).isEqualTo("/there");

            // the backend's redirect rules run once the switch chose it
            r = cl.get("/b/legacy/x", "h");
            assertThat(r.status()).isEqualTo(307);
            assertThat(r.header("location")).isEqualTo("/moved-b/b/legacy/x");
            assertThat(cl.get("/b/new", "h").body()).isEqualTo("b");
        }
        assertThat(a.requests).extracting(FakeBackend.Seen::uri).containsExactly("/to");
        assertThat(b.requests).extracting(FakeBackend.Seen::uri).containsExactly("/b/new");
    }
}
