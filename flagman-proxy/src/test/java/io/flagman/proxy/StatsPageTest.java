package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.proxy.stats.StatCsv;
import io.flagman.proxy.upstream.ServerState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stats page on a running data plane with real upstreams: {@code stats auth} first, the HTML tables with the
 * servers' status, {@code ;csv} with the shared CSV header, an admin POST that drains a server (the next requests
 * do not reach it), and a POST refused without {@code stats admin}.
 */
class StatsPageTest {
    private static final String AUTH = "Authorization: Basic "
            + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8)) + "\r\n";

    private final FakeBackend web1 = new FakeBackend("web1");
    private final FakeBackend web2 = new FakeBackend("web2");
    private final ProxyFixture proxy = new ProxyFixture();

    @BeforeEach
    void start() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:1
                  stats uri /stats
                  stats refresh 5s
                  stats auth admin:s3cret
                  stats admin if { src 127.0.0.0/8 }
                  default_backend app
                frontend readonly
                  bind 127.0.0.1:2
                  stats enable
                  stats show-legends
                  stats show-node edge-7
                  stats show-desc front load balancer
                  stats scope app
                  default_backend app
                backend app
                  server w1 %s
                  server w2 %s
                  server w3 127.0.0.1:%d check inter 100ms fall 1
                """.formatted(web1.address(), web2.address(), PrometheusExporterTest.closedPort()));
        ServerState w3 = proxy.dataPlane.serverState("app", "w3").orElseThrow();
        Await.until("w3 DOWN", () -> w3.health() == ServerState.Health.DOWN);
    }

    @AfterEach
    void stop() {
        proxy.close();
        web1.close();
        web2.close();
    }

    private RawHttp.Response request(String frontend, String head, String body) throws IOException {
        try (RawHttp c = new RawHttp(proxy.address(frontend))) {
            c.send(head + (body == null ? "" : "Content-Length: " + body.length() + "\r\n") + "\r\n"
                    + (body == null ? "" : body));
            return c.read(false);
        }
    }

    private RawHttp.Response get(String uri, String auth) throws IOException {
        return request("fe", "GET " + uri + " HTTP/1.1\r\nHost: x\r\n" + auth, null);
    }

    @Test
    void statsAuthIsCheckedFirst() throws Exception {
        RawHttp.Response none = get("/stats", "");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("www-authenticate")).isEqualTo("Basic realm=\"HAProxy Statistics\"");
        String wrong = "Authorization: Basic " + Base64.getEncoder().encodeToString("admin:nope".getBytes()) + "\r\n";
        assertThat(get("/stats;csv", wrong).status()).isEqualTo(401);
        RawHttp.Response post = request("fe", "POST /stats HTTP/1.1\r\nHost: x\r\n", "s=w1&action=maint&b=app");
        assertThat(post.status()).as("an admin POST without credentials").isEqualTo(401);
        assertThat(proxy.dataPlane.serverState("app", "w1").orElseThrow().adminState())
                .isEqualTo(ServerState.AdminState.READY);
        assertThat(get("/other", "").status()).as("other URIs go to the backend").isEqualTo(200);
        assertThat(web1.requests.size() + web2.requests.size()).isEqualTo(1);
    }

    @Test
    void showLinesAndScopeShapeThePage() throws Exception {
        RawHttp.Response r = request("readonly", "GET /haproxy?stats HTTP/1.1\r\nHost: x\r\n", null);
        assertThat(r.status()).isEqualTo(200);
        String html = r.body();
        assertThat(html).contains("<span class=\"node\">edge-7</span>",
                "<span class=\"desc\">front load balancer</span>", "<ul class=\"legends\">",
                "<li>w1: server, mode=http, id=1, addr=" + web1.address());
        assertThat(html).as("stats scope app: only that proxy's table").contains("<table class=\"proxy\" id=\"app\">")
                .doesNotContain("<table class=\"proxy\" id=\"fe\">", "<table class=\"proxy\" id=\"readonly\">");
        RawHttp.Response plain = get("/stats", AUTH);
        assertThat(plain.body()).as("without the show lines").doesNotContain("class=\"legends\"", "class=\"node\"");
    }

    @Test
    void thePageListsEveryProxyAndServerWithItsStatus() throws Exception {
        RawHttp.Response r = get("/stats", AUTH);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/html");
        assertThat(r.header("refresh")).isEqualTo("5");
        String html = r.body();
        assertThat(html).contains("<table class=\"proxy\" id=\"app\">", "<table class=\"proxy\" id=\"fe\">",
                ">Queue<", ">Sessions<", ">Bytes<", ">Denied<", ">Errors<", ">Warnings<", ">Server<",
                "<th>LastChk</th>", "<th>Dwntme</th>");
        assertThat(html).contains("<td class=\"px\">w1</td>", "<td class=\"px\">w3</td>", "<td>no check</td>",
                "<td>DOWN</td>", "L4CON in ", "<td class=\"px\">FRONTEND</td>", "<td class=\"px\">BACKEND</td>");
        assertThat(html).as("admin mode: checkboxes and the action list")
                .contains("<input type=\"checkbox\" name=\"s\" value=\"w1\">", "<option value=\"drain\">",
                        "name=\"b\" value=\"#");
        assertThat(web1.requests.size() + web2.requests.size()).isZero();
    }

    @Test
    void csvHasTheSharedHeaderAndOneRowPerObject() throws Exception {
        RawHttp.Response r = get("/stats;csv", AUTH);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("text/plain");
        List<String> lines = r.body().lines().toList();
        assertThat(lines.getFirst() + "\n").isEqualTo(StatCsv.header());
        assertThat(lines.getFirst()).startsWith("# pxname,svname,qcur,qmax,scur,smax,slim,stot,");
        int columns = lines.getFirst().split(",", -1).length;
        for (String l : lines.subList(1, lines.size())) {
            assertThat(l.split(",", -1)).as(l).hasSize(columns);
        }
        assertThat(lines).anyMatch(l -> l.startsWith("app,w3,") && l.contains(",DOWN,"))
                .anyMatch(l -> l.startsWith("app,w1,") && l.contains(",no check,"))
                .anyMatch(l -> l.startsWith("app,BACKEND,")).anyMatch(l -> l.startsWith("fe,FRONTEND,"));
        assertThat(r.body()).as("no CLI trailer: the last line is a row").doesNotEndWith("\n\n");
    }

    @Test
    void anAdminPostDrainsAServerAndTheNextRequestsDoNotReachIt() throws Exception {
        RawHttp.Response r = request("fe", "POST /stats HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "Content-Type: application/x-www-form-urlencoded\r\n", "s=w1&action=drain&b=%23" + backendId());
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("location")).isEqualTo("/stats;st=DONE");
        assertThat(proxy.dataPlane.serverState("app", "w1").orElseThrow().adminState())
                .isEqualTo(ServerState.AdminState.DRAIN);
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 6; i++) {
                assertThat(c.get("/", "x").status()).isEqualTo(200);
            }
        }
        assertThat(web1.requests).isEmpty();
        assertThat(web2.requests).hasSize(6);
        assertThat(get("/stats;csv", AUTH).body().lines()).anyMatch(l -> l.startsWith("app,w1,") && l.contains(",DRAIN,"));
        assertThat(get("/stats", AUTH).body()).contains("<tr class=\"drain\">");

        // the form may come in pieces after the head: it is read to its end, then applied (ready again)
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            String form = "s=w1&action=ready&b=app";
            c.send("POST /stats HTTP/1.1\r\nHost: x\r\n" + AUTH + "Content-Length: " + form.length() + "\r\n\r\n");
            c.send(form.substring(0, 5));
            c.send(form.substring(5));
            RawHttp.Response ready = c.read(false);
            assertThat(ready.header("location")).isEqualTo("/stats;st=DONE");
            assertThat(c.get("/stats", "x").status()).as("keep-alive after the form").isEqualTo(401);
        }
        assertThat(proxy.dataPlane.serverState("app", "w1").orElseThrow().adminState())
                .isEqualTo(ServerState.AdminState.READY);
        RawHttp.Response unknown = request("fe", "POST /stats HTTP/1.1\r\nHost: x\r\n" + AUTH, "s=w9&action=maint&b=app");
        assertThat(unknown.header("location")).isEqualTo("/stats;st=NONE");
        RawHttp.Response noAction = request("fe", "POST /stats HTTP/1.1\r\nHost: x\r\n" + AUTH, "s=w1&b=app");
        assertThat(noAction.header("location")).isEqualTo("/stats;st=ERRP");
    }

    @Test
    void withoutStatsAdminThePostIsRefused() throws Exception {
        RawHttp.Response r = request("readonly", "POST /haproxy?stats HTTP/1.1\r\nHost: x\r\n",
                "s=w1&action=maint&b=app");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("location")).isEqualTo("/haproxy?stats;st=DENY");
        assertThat(proxy.dataPlane.serverState("app", "w1").orElseThrow().adminState())
                .isEqualTo(ServerState.AdminState.READY);
        String html = request("readonly", "GET /haproxy?stats HTTP/1.1\r\nHost: x\r\n", null).body();
        assertThat(html).contains("<td class=\"px\">w1</td>").doesNotContain("type=\"checkbox\"");
    }

    @Test
    void aRuntimeStateChangeShowsOnThePageAtOnce() throws Exception {
        // what `set server app/w2 state maint` on the runtime socket and the API's runtime endpoints change
        proxy.dataPlane.serverState("app", "w2").orElseThrow().setAdminState(ServerState.AdminState.MAINT);
        String html = get("/stats", AUTH).body();
        assertThat(html).contains("<tr class=\"maint\"><td><input type=\"checkbox\" name=\"s\" value=\"w2\">"
                + "</td><td class=\"px\">w2</td>");
        assertThat(html).contains("<td>MAINT</td>");
        assertThat(get("/stats;csv", AUTH).body().lines()).anyMatch(l -> l.startsWith("app,w2,") && l.contains(",MAINT,"));
    }

    private int backendId() {
        return proxy.dataPlane.statistics().stream().filter(r -> r.proxy().equals("app")
                && r.object() == io.flagman.proxy.stats.StatObject.BACKEND).findFirst().orElseThrow().iid();
    }

    @Test
    void upAndNoMaintHideServersAndJsonAndTypedAreTheCliFormats() throws Exception {
        proxy.dataPlane.serverState("app", "w2").orElseThrow().setAdminState(ServerState.AdminState.MAINT);
        List<String> up = get("/stats;csv;up", AUTH).body().lines().toList();
        assertThat(up).as(";up hides the server in maintenance and the one DOWN")
                .anyMatch(l -> l.startsWith("app,w1,"))
                .noneMatch(l -> l.startsWith("app,w2,") || l.startsWith("app,w3,"))
                .anyMatch(l -> l.startsWith("app,BACKEND,") && l.contains(",UP (1/3),"));
        List<String> noMaint = get("/stats;no-maint;csv", AUTH).body().lines().toList();
        assertThat(noMaint).anyMatch(l -> l.startsWith("app,w1,")).anyMatch(l -> l.startsWith("app,w3,"))
                .noneMatch(l -> l.startsWith("app,w2,"))
                .anyMatch(l -> l.startsWith("app,BACKEND,") && l.contains(",UP (1/3),"));
        String html = get("/stats;up", AUTH).body();
        assertThat(html).contains("<td class=\"px\">w1</td>").doesNotContain("<td class=\"px\">w2</td>",
                "<td class=\"px\">w3</td>");

        RawHttp.Response json = get("/stats;json;up", AUTH);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.header("content-type")).isEqualTo("application/json");
        assertThat(json.body()).startsWith("[[{\"objType\":\"Frontend\"")
                .contains("{\"objType\":\"Server\",\"proxyId\":", "\"field\":{\"pos\":1,\"name\":\"svname\"},"
                        + "\"processNum\":1,\"tags\":{\"origin\":\"Key\",\"nature\":\"Name\",\"scope\":\"Service\"},"
                        + "\"value\":{\"type\":\"str\",\"value\":\"w1\"}}")
                .doesNotContain("\"value\":\"w2\"}", "\"value\":\"w3\"}");

        RawHttp.Response typed = get("/stats;typed", AUTH);
        assertThat(typed.header("content-type")).isEqualTo("text/plain");
        List<String> lines = typed.body().lines().filter(l -> !l.isEmpty()).toList();
        assertThat(lines).allMatch(l -> l.matches("[FBSL]\\.[0-9]+\\.[0-9]+\\.[0-9]+\\.[a-z0-9_]+\\.1:[A-Za-z]{3}:[a-z0-9]+:.*"), "typed lines")
                .anyMatch(l -> l.matches("S\\.[0-9]+\\.2\\.1\\.svname\\.1:KNS:str:w2"))
                .anyMatch(l -> l.matches("S\\.[0-9]+\\.2\\.17\\.status\\.1:SGP:str:MAINT"));
    }

    @Test
    void adminHealthActionsSwitchTheChecksOfCheckedServers() throws Exception {
        ServerState w3 = proxy.dataPlane.serverState("app", "w3").orElseThrow();
        RawHttp.Response off = request("fe", "POST /stats HTTP/1.1\r\nHost: x\r\n" + AUTH,
                "s=w3&action=dhlth&b=app");
        assertThat(off.header("location")).isEqualTo("/stats;st=DONE");
        assertThat(w3.checkEnabled()).isFalse();
        RawHttp.Response on = request("fe", "POST /stats HTTP/1.1\r\nHost: x\r\n" + AUTH,
                "s=w3&s=w1&action=ehlth&b=app");
        assertThat(on.header("location")).as("w1 has no check: not changed").isEqualTo("/stats;st=PART");
        assertThat(w3.checkEnabled()).isTrue();
        RawHttp.Response none = request("fe", "POST /stats HTTP/1.1\r\nHost: x\r\n" + AUTH,
                "s=w1&action=dhlth&b=app");
        assertThat(none.header("location")).isEqualTo("/stats;st=NONE");
        assertThat(proxy.dataPlane.serverState("app", "w1").orElseThrow().checkEnabled()).isTrue();
        assertThat(get("/stats", AUTH).body()).contains("<option value=\"dhlth\">", "<option value=\"ehlth\">");
        RawHttp.Response unknown = request("fe", "POST /stats HTTP/1.1\r\nHost: x\r\n" + AUTH,
                "s=w3&action=hnolb&b=app");
        assertThat(unknown.header("location")).isEqualTo("/stats;st=UNKN");
    }
}
