package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagman.proxy.upstream.ServerState;
import io.flagman.proxy.upstream.ServerState.AdminState;
import io.flagman.proxy.upstream.ServerState.CheckReport;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, defect 3: an apply is all-or-nothing, live server state included. Each test runs a real data plane
 * with real upstreams, then applies a configuration that changes a server and also binds a port another socket
 * holds: the apply throws, and both the traffic and the server's live state are those of the configuration
 * before.
 */
class RejectedApplyTest {
    private final ProxyFixture proxy = new ProxyFixture();
    private final FakeBackend web1 = new FakeBackend("web1");
    private final FakeBackend web2 = new FakeBackend("web2");
    private final ServerSocket taken = takePort();

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        web1.close();
        web2.close();
        taken.close();
    }

    private static ServerSocket takePort() {
        try {
            return new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String config(String backendBody, boolean bindTakenPort) {
        String extra = bindTakenPort ? """
                frontend other
                  bind 127.0.0.1:%d
                  default_backend be
                """.formatted(taken.getLocalPort()) : "";
        return """
                defaults
                  mode http
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                %sbackend be
                %s""".formatted(extra, backendBody);
    }

    private void rejected(String backendBody) {
        assertThatThrownBy(() -> proxy.apply(config(backendBody, true)))
                .isInstanceOf(ApplyException.class).hasMessageContaining("cannot bind");
        assertThat(proxy.dataPlane.boundAddresses("other")).isEmpty();
    }

    private ServerState state(String server) {
        return proxy.dataPlane.serverState("be", server).orElseThrow();
    }

    private Set<String> servedBy(int requests) throws Exception {
        Set<String> seen = new HashSet<>();
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < requests; i++) {
                RawHttp.Response r = c.get("/", "x");
                assertThat(r.status()).as("request %d", i).isEqualTo(200);
                seen.add(r.header("x-backend"));
            }
        }
        return seen;
    }

    private int status() throws Exception {
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            return c.get("/", "x").status();
        }
    }

    @Test
    void aRejectedApplyThatDisablesAServerLeavesItInRotation() throws Exception {
        proxy.apply(config("  server s1 " + web1.address() + "\n", false));
        assertThat(servedBy(2)).containsExactly("web1");

        rejected("  server s1 " + web1.address() + " disabled\n");

        assertThat(state("s1").adminState()).isEqualTo(AdminState.READY);
        assertThat(servedBy(3)).containsExactly("web1");
        assertThat(proxy.dataPlane.config().backend("be").orElseThrow().servers().get(0).disabled()).isFalse();
    }

    @Test
    void aRejectedApplyThatEnablesADisabledServerLeavesItInMaintenance() throws Exception {
        proxy.apply(config("  server s1 " + web1.address() + " disabled\n", false));
        assertThat(status()).isEqualTo(503);

        rejected("  server s1 " + web1.address() + "\n");

        assertThat(state("s1").adminState()).isEqualTo(AdminState.MAINT);
        assertThat(status()).isEqualTo(503);
        assertThat(web1.requests).isEmpty();
    }

    @Test
    void aSuccessfulApplyAfterARejectedOneStillTogglesDisabled() throws Exception {
        proxy.apply(config("  server s1 " + web1.address() + "\n", false));
        rejected("  server s1 " + web1.address() + " disabled\n");

        proxy.apply(config("  server s1 " + web1.address() + " disabled\n", false));
        assertThat(state("s1").adminState()).isEqualTo(AdminState.MAINT);
        assertThat(status()).isEqualTo(503);

        proxy.apply(config("  server s1 " + web1.address() + "\n", false));
        assertThat(state("s1").adminState()).isEqualTo(AdminState.READY);
        assertThat(servedBy(2)).containsExactly("web1");
    }

    @Test
    void aRejectedApplyKeepsWeightsAddressesAndTheServerList() throws Exception {
        proxy.apply(config("  balance roundrobin\n  server s1 " + web1.address() + "\n  server s2 "
                + web2.address() + "\n", false));
        assertThat(servedBy(4)).containsExactlyInAnyOrder("web1", "web2");

        // s2 weight 0 (no traffic), s1 moved to web2's address, a new server s3
        rejected("  balance roundrobin\n  server s1 " + web2.address() + "\n  server s2 " + web2.address()
                + " weight 0\n  server s3 " + web1.address() + "\n");

        assertThat(servedBy(4)).containsExactlyInAnyOrder("web1", "web2");
        assertThat(proxy.dataPlane.serverState("be", "s3")).isEmpty();
        assertThat(proxy.dataPlane.statistics()).filteredOn(r -> r.object() == io.flagman.proxy.stats.StatObject.SERVER)
                .extracting(r -> r.name()).containsExactly("s1", "s2");
    }

    @Test
    void aRejectedApplyLeavesHealthChecksAsTheyWere() throws Exception {
        web1.responder = req -> {
            if (!req.uri().equals("/bad")) {
                return FakeBackend.ok("web1", "web1");
            }
            var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    Unpooled.copiedBuffer("no", StandardCharsets.UTF_8));
            r.headers().set("content-length", 2);
            return r;
        };
        // fall 100: a check that times out on a busy machine must not take the server down in this test
        proxy.apply(config("  timeout check 5s\n  option httpchk GET /ok\n  server s1 " + web1.address()
                + " check inter 50ms rise 1 fall 100\n", false));
        awaitCheck("s1", r -> r.status().equals("L7OK"));

        rejected("  timeout check 5s\n  option httpchk GET /bad\n  server s1 " + web1.address()
                + " check inter 50ms rise 1 fall 1\n");

        for (int i = 0; i < 3; i++) {
            CheckReport before = state("s1").lastCheck();
            awaitCheck("s1", r -> r != before);
        }
        assertThat(web1.requests).extracting(FakeBackend.Seen::uri).contains("/ok").doesNotContain("/bad");
        assertThat(state("s1").health()).isEqualTo(ServerState.Health.UP);
        assertThat(servedBy(2)).containsExactly("web1");
    }

    private void awaitCheck(String server, java.util.function.Predicate<CheckReport> want) {
        Await.until("a check of " + server, () -> {
            CheckReport r = state(server).lastCheck();
            return r != null && want.test(r);
        });
    }
}
