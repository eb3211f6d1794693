package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What-if's reports beyond what WhatIfScenarioTest (flagman-app) compares with a served request: the steps and
 * lines it names for listen sections, TCP frontends, headers set by earlier rules, auth, use-service and the
 * notes (http-response rules, no usable server).
 */
class WhatIfTest {

    private static WhatIf.Request get(String frontend, String path, String host, String src, int port) {
        return new WhatIf.Request(frontend, "GET", path, host == null ? List.of() : List.of(new WhatIf.Header("Host",
                host)), new InetSocketAddress(src, 40000), port, false, null);
    }

    @Test
    void theRedirectKeywordAnswersAfterTheHttpRequestRulesAndBeforeUseBackend() throws Exception {
        WhatIf w = WhatIf.compile(ProxyFixture.parse("""
                defaults
                  mode http
                frontend www
                  bind 127.0.0.1:18093
                  http-request allow
                  redirect prefix https://secure.example code 301 if { path_beg /login }
                  use_backend app if { path_beg /login }
                  default_backend app
                backend app
                  server a 127.0.0.1:9
                """));
        WhatIf.Verdict login = (WhatIf.Verdict) w.evaluate(get(null, "/login?x=1", "a", "127.0.0.1", 18093));
        assertThat(login.backend()).isNull();
        assertThat(login.answeredBy()).isEqualTo(new WhatIf.Step("redirect", "www", 6, 301,
                "https://secure.example/login?x=1"));
        assertThat(((WhatIf.Verdict) w.evaluate(get(null, "/", "a", "127.0.0.1", 18093))).backend()).isEqualTo("app");
    }

    @Test
    void stepsAndLinesOfEveryKindOfDecision() throws Exception {
        WhatIf w = WhatIf.compile(ProxyFixture.parse("""
                userlist ops
                  user admin insecure-password secret
                defaults
                  mode http
                frontend www
                  bind 127.0.0.1:18090
                  http-request set-header X-Route api if { path_beg /api/ }
                  http-request auth realm ops if { path_beg /ops } !{ http_auth(ops) }
                  http-request use-service prometheus-exporter if { path /metrics }
                  http-response set-header X-A b
                  use_backend api if { req.hdr(x-route) api }
                  default_backend down
                backend api
                  server a 127.0.0.1:9
                backend down
                  server d 127.0.0.1:9 disabled
                listen admin
                  bind 127.0.0.1:18091
                  server x 127.0.0.1:9
                frontend tcp-in
                  mode tcp
                  bind 127.0.0.1:18092
                  use_backend tcp-internal if { src 10.0.0.0/8 }
                  default_backend tcp-other
                backend tcp-internal
                  mode tcp
                  server t 127.0.0.1:9
                backend tcp-other
                  mode tcp
                  server o 127.0.0.1:9
                """));
        WhatIf.Verdict api = (WhatIf.Verdict) w.evaluate(get(null, "/api/x", "a", "127.0.0.1", 18090));
        assertThat(api.frontend()).isEqualTo("www");
        assertThat(api.backend()).isEqualTo("api");
        assertThat(api.routedBy()).isEqualTo(new WhatIf.Step("use_backend", "www", 11, 0, null));
        assertThat(api.answeredBy()).isNull();
        assertThat(api.notes()).containsExactly("1 http-response rule of 'www' not evaluated (they need the server's"
                + " response)");

        WhatIf.Verdict fallback = (WhatIf.Verdict) w.evaluate(get(null, "/", "a", "127.0.0.1", 18090));
        assertThat(fallback.routedBy()).isEqualTo(new WhatIf.Step("default_backend", "www", 12, 0, null));
        assertThat(fallback.notes()).contains("backend 'down' has no usable server in the configuration (the proxy"
                + " would answer 503)");

        WhatIf.Verdict auth = (WhatIf.Verdict) w.evaluate(get(null, "/ops", "a", "127.0.0.1", 18090));
        assertThat(auth.backend()).isNull();
        assertThat(auth.answeredBy()).isEqualTo(new WhatIf.Step("http-request auth", "www", 8, 401, null));
        WhatIf.Request withCredentials = new WhatIf.Request(null, "GET", "/ops", List.of(new WhatIf.Header(
                "Authorization", "Basic YWRtaW46c2VjcmV0")), new InetSocketAddress("127.0.0.1", 1), 18090, false,
                null);
        assertThat(((WhatIf.Verdict) w.evaluate(withCredentials)).backend()).isEqualTo("down");

        assertThat(((WhatIf.Verdict) w.evaluate(get(null, "/metrics", "a", "127.0.0.1", 18090))).answeredBy())
                .isEqualTo(new WhatIf.Step("http-request use-service prometheus-exporter", "www", 9, 200, null));

        WhatIf.Verdict listen = (WhatIf.Verdict) w.evaluate(get(null, "/", "a", "127.0.0.1", 18091));
        assertThat(listen.backend()).isEqualTo("admin");
        assertThat(listen.routedBy()).isEqualTo(new WhatIf.Step("default_backend", "admin", 17, 0, null));

        WhatIf.Verdict inside = (WhatIf.Verdict) w.evaluate(get(null, null, null, "10.1.1.1", 18092));
        assertThat(inside.backend()).isEqualTo("tcp-internal");
        assertThat(inside.routedBy().line()).isEqualTo(23);
        assertThat(((WhatIf.Verdict) w.evaluate(get("tcp-in", null, null, "192.0.2.1", 1))).backend())
                .isEqualTo("tcp-other");

        assertThat(w.evaluate(get(null, "/", "a", "127.0.0.1", 1)))
                .isEqualTo(new WhatIf.Problem("no frontend binds port 1; name one with 'frontend NAME'"));
    }
}
