package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpRoutingTest {
    private final FakeBackend api = new FakeBackend("api");
    private final FakeBackend web = new FakeBackend("web");
    private final ProxyFixture proxy = new ProxyFixture();

    @AfterEach
    void tearDown() {
        proxy.close();
        api.close();
        web.close();
    }

    private String config(String extraFrontend) {
        return """
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 5s
                  timeout server 5s
                frontend fe
                  bind 127.0.0.1:1
                  acl host_api hdr(host) -i api.example.com
                %s
                  http-request set-header X-Forwarded-Proto https
                  option forwardfor
                  use_backend be_api if host_api
                  default_backend be_web
                backend be_api
                  server a1 %s
                backend be_web
                  server w1 %s
                backend be_empty
                """.formatted(extraFrontend, api.address(), web.address());
    }

    @Test
    void routesByHostAndAddsForwardingHeaders() throws Exception {
        proxy.apply(config(""));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            RawHttp.Response r1 = c.get("/x", "api.example.com");
            assertThat(r1.status()).isEqualTo(200);
            assertThat(r1.body()).isEqualTo("api");
            RawHttp.Response r2 = c.get("/y?q=1", "www.example.com");
            assertThat(r2.body()).isEqualTo("web");
        }
        assertThat(api.last().uri()).isEqualTo("/x");
        assertThat(api.last().header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(api.last().header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(web.last().uri()).isEqualTo("/y?q=1");
    }

    @Test
    void srcAclDenies() throws Exception {
        proxy.apply(config("  acl local src 127.0.0.0/8\n  http-request deny if local"));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/", "www.example.com").status()).isEqualTo(403);
        }
        assertThat(web.requests).isEmpty();
    }

    @Test
    void keepAliveReusesOneUpstreamConnection() throws Exception {
        proxy.apply(config(""));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 20; i++) {
                assertThat(c.get("/" + i, "www.example.com").body()).isEqualTo("web");
            }
        }
        assertThat(web.requests).hasSize(20);
        assertThat(web.connections.get()).isEqualTo(1);
    }

    @Test
    void noServerGives503() throws Exception {
        proxy.apply(config("  use_backend be_empty if { path_beg /empty }"));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/empty", "www.example.com").status()).isEqualTo(503);
            assertThat(c.get("/ok", "www.example.com").status()).isEqualTo(200);
        }
    }

    @Test
    void adminMaintenanceAffectsTheNextPick() throws Exception {
        proxy.apply(config(""));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/", "www.example.com").status()).isEqualTo(200);
            proxy.dataPlane.serverState("be_web", "w1").orElseThrow()
                    .setAdminState(io.flagman.proxy.upstream.ServerState.AdminState.MAINT);
            assertThat(c.get("/", "www.example.com").status()).isEqualTo(503);
            proxy.dataPlane.serverState("be_web", "w1").orElseThrow()
                    .setAdminState(io.flagman.proxy.upstream.ServerState.AdminState.READY);
            assertThat(c.get("/", "www.example.com").status()).isEqualTo(200);
        }
    }
}
