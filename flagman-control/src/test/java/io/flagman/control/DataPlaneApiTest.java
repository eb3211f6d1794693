package io.flagman.control;

import static io.flagman.control.ApiFixture.CFG;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DataPlaneApiTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(dir).start();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void authComesBeforeEverythingAndEveryResponseCarriesTheVersion() {
        HttpResponse<String> none = api.send("GET", "/v3/nothing/here", null, null, false);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"API\"");
        assertThat(none.headers().firstValue("Configuration-Version")).hasValue("1");
        assertThat(none.body()).contains("\"code\":401").contains("missing or invalid authorization");

        api.password = "wrong";
        HttpResponse<String> bad = api.get(CFG + "/backends");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.body()).contains("unauthorized");
        api.user = "nobody";
        assertThat(api.get(CFG + "/backends").body()).contains("unauthorized");

        api.user = "admin";
        api.password = "adminpass";
        HttpResponse<String> missing = api.get("/v3/nothing/here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"code\":404,\"message\":\"path /v3/nothing/here was not found\"}\n");
        assertThat(missing.headers().firstValue("Configuration-Version")).hasValue("1");

        HttpResponse<String> wrongMethod = api.send("PATCH", CFG + "/backends", "{}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, POST");
    }

    @Test
    void versionIsABareIntegerAndTrailingSlashesAndUnknownParamsAreIgnored() {
        HttpResponse<String> r = api.get(CFG + "/version/?foo=bar&");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("1\n");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() throws Exception {
        String before = api.file();
        HttpResponse<String> r = api.send("POST", CFG + "/backends?version=7", "{\"name\":\"b1\",\"mode\":\"http\"}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(json(r).get("message").asText())
                .isEqualTo("version mismatch: version in configuration file is 1, given version is 7");
        assertThat(api.file()).isEqualTo(before);

        assertThat(api.send("POST", CFG + "/backends", "{\"name\":\"b1\"}").statusCode()).isEqualTo(400);
        assertThat(api.send("POST", CFG + "/backends?version=0", "{\"name\":\"b1\"}").body())
                .contains("version or transaction not specified");
        assertThat(api.send("POST", CFG + "/backends?version=1&transaction_id=x", "{\"name\":\"b1\"}").body())
                .contains("both version and transaction specified, specify only one");
    }

    @Test
    void anAcceptedWriteIsLiveStoredAndAnsweredLikeTheReference() throws Exception {
        HttpResponse<String> r = api.send("POST", CFG + "/backends?version=1", "{\"name\":\"app-backend\","
                + "\"mode\":\"http\",\"balance\":{\"algorithm\":\"roundrobin\"},\"connect_timeout\":5000}");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("Reload-Id")).hasValueSatisfying(id -> assertThat(id)
                .matches("^\\d{4}-\\d{2}-\\d{2}-\\d+$"));
        assertThat(r.headers().firstValue("Configuration-Version")).hasValue("2");
        assertThat(r.body()).isEqualTo("{\"balance\":{\"algorithm\":\"roundrobin\"},\"connect_timeout\":5000,"
                + "\"mode\":\"http\",\"name\":\"app-backend\"}\n");
        assertThat(api.applier.applied.getLast().backend("app-backend")).isPresent();
        assertThat(api.file()).startsWith("# _version=2\n").contains("backend app-backend\n  mode http\n"
                + "  balance roundrobin\n  timeout connect 5s\n");
        String reload = r.headers().firstValue("Reload-Id").orElseThrow();
        assertThat(json(api.get("/v3/services/haproxy/reloads/" + reload)).get("status").asText())
                .isEqualTo("succeeded");

        HttpResponse<String> forced = api.send("POST", CFG + "/backends?version=2&force_reload=true",
                "{\"name\":\"other\"}");
        assertThat(forced.statusCode()).isEqualTo(201);
        assertThat(forced.headers().firstValue("Reload-Id")).isEmpty();
        assertThat(api.send("DELETE", CFG + "/backends/other?version=3&force_reload=true", null).statusCode())
                .isEqualTo(204);
        assertThat(api.get(CFG + "/backends/other").statusCode()).isEqualTo(404);
        assertThat(api.version()).isEqualTo(4);
        // older versions are kept as backups and served by raw?version=V
        HttpResponse<String> v2 = api.get(CFG + "/raw?version=2");
        assertThat(v2.statusCode()).isEqualTo(200);
        assertThat(v2.body()).startsWith("# _version=2\n").doesNotContain("backend other");
        assertThat(api.get(CFG + "/raw?version=99").statusCode()).isEqualTo(404);
        assertThat(Files.exists(dir.resolve("haproxy.cfg.lkg"))).isTrue();
    }

    @Test
    void anInvalidChangeIsRejectedWithFileAndLineAndChangesNothing() throws Exception {
        String before = api.file();
        int applied = api.applier.applied.size();
        HttpResponse<String> r = api.send("POST", CFG + "/frontends/http-in/backend_switching_rules/0?version=1",
                "{\"name\":\"ghost-backend\",\"cond\":\"if\",\"cond_test\":\"no_such_acl\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("message").asText()).startsWith("validation error: haproxy.cfg:");
        assertThat(api.file()).isEqualTo(before);
        assertThat(api.version()).isEqualTo(1);
        assertThat(api.applier.applied).hasSize(applied);

        // schema violations are 422, malformed JSON 400, unknown fields ignored
        assertThat(api.send("POST", CFG + "/backends?version=1", "{\"mode\":\"http\"}").statusCode()).isEqualTo(422);
        assertThat(api.send("POST", CFG + "/backends?version=1", "{\"name\":\"x\",\"mode\":\"udp\"}").statusCode())
                .isEqualTo(422);
        assertThat(api.send("POST", CFG + "/backends/fallback-backend/servers?version=1",
                "{\"name\":\"s\",\"address\":\"10.0.0.1\",\"port\":\"80\"}").statusCode()).isEqualTo(422);
        assertThat(api.send("POST", CFG + "/backends?version=1", "{\"name\":").statusCode()).isEqualTo(400);
        assertThat(api.send("POST", CFG + "/backends?version=1", "{\"name\":\"x\",\"whatever\":1}").statusCode())
                .isEqualTo(202);
    }

    @Test
    void aDataPlaneThatRefusesTheChangeLeavesEverythingAsItWas() throws Exception {
        String before = api.file();
        api.applier.failWith = "cannot bind 127.0.0.1:18081: address in use";
        HttpResponse<String> r = api.send("POST", CFG + "/frontends/http-in/binds?version=1",
                "{\"name\":\"second\",\"address\":\"127.0.0.1\",\"port\":18081}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("address in use");
        assertThat(api.file()).isEqualTo(before);
        assertThat(api.version()).isEqualTo(1);
    }

    @Test
    void indexAddressedListsInsertBeforeAppendAtLengthAndRefuseBeyond() throws Exception {
        String acls = CFG + "/frontends/http-in/acls";
        assertThat(api.get(acls).body()).isEqualTo("[]\n");
        assertThat(api.get(CFG + "/frontends/ghost/acls").body()).isEqualTo("[]\n");
        assertThat(api.send("POST", acls + "/0?version=1", acl("a", "src", "10.0.0.0/8")).statusCode())
                .isEqualTo(202);
        assertThat(api.send("POST", acls + "/1?version=2", acl("c", "path_beg", "/c")).statusCode()).isEqualTo(202);
        assertThat(api.send("POST", acls + "/1?version=3", acl("b", "hdr(host)", "-i b.example.com")).statusCode())
                .isEqualTo(202);
        HttpResponse<String> beyond = api.send("POST", acls + "/4?version=4", acl("d", "src", "1.2.3.4"));
        assertThat(beyond.statusCode()).isEqualTo(400);
        assertThat(beyond.body()).contains("out of range");
        JsonNode list = json(api.get(acls));
        assertThat(list).hasSize(3);
        assertThat(list.get(0).get("acl_name").asText()).isEqualTo("a");
        assertThat(list.get(1).toString()).isEqualTo("{\"acl_name\":\"b\",\"criterion\":\"hdr(host)\","
                + "\"value\":\"-i b.example.com\"}");
        assertThat(list.get(2).get("acl_name").asText()).isEqualTo("c");
        assertThat(api.get(acls + "/3").statusCode()).isEqualTo(404);
        assertThat(api.send("PUT", acls + "/3?version=4", acl("x", "src", "1.1.1.1")).statusCode()).isEqualTo(404);
        assertThat(api.send("DELETE", acls + "/3?version=4", null).statusCode()).isEqualTo(404);
        assertThat(api.send("PUT", acls + "/0?version=4", acl("a", "src", "192.168.0.0/16")).statusCode())
                .isEqualTo(202);
        assertThat(json(api.get(acls + "/0")).get("value").asText()).isEqualTo("192.168.0.0/16");
        assertThat(api.send("DELETE", acls + "/0?version=5", null).statusCode()).isEqualTo(202);
        assertThat(json(api.get(acls)).get(0).get("acl_name").asText()).isEqualTo("b");
        assertThat(api.get(acls + "?acl_name=c").body()).contains("\"c\"").doesNotContain("\"b\"");
        // PUT on the list replaces all
        HttpResponse<String> all = api.send("PUT", acls + "?version=6", "[" + acl("z", "src", "127.0.0.1") + "]");
        assertThat(all.statusCode()).isEqualTo(202);
        assertThat(json(api.get(acls))).hasSize(1);
        assertThat(api.send("PUT", acls + "?version=7", "[]").statusCode()).isEqualTo(202);
        assertThat(api.get(acls).body()).isEqualTo("[]\n");
        assertThat(api.file()).doesNotContain("acl ");
        assertThat(api.version()).isEqualTo(8);
    }

    @Test
    void serverAndBindOptionsAreWrittenAsSaid() throws Exception {
        // a default-server weight 10 must not win over a server's explicit weight 1 (HAProxy's default)
        String be = CFG + "/backends/fallback-backend";
        assertThat(api.send("PUT", be + "?version=1", "{\"name\":\"fallback-backend\",\"mode\":\"http\","
                + "\"default_server\":{\"weight\":10,\"check\":\"enabled\"}}").statusCode()).isEqualTo(202);
        assertThat(api.send("POST", be + "/servers?version=2", "{\"name\":\"s1\",\"address\":\"10.0.0.1\","
                + "\"port\":80,\"weight\":1,\"check\":\"disabled\"}").statusCode()).isEqualTo(202);
        assertThat(api.file()).contains("  default-server check weight 10\n")
                .contains("  server s1 10.0.0.1:80 no-check weight 1\n");
        assertThat(api.applier.applied.getLast().backend("fallback-backend").orElseThrow().servers().getFirst()
                .weight()).isEqualTo(1);
        assertThat(api.send("POST", CFG + "/frontends/http-in/binds?version=3", "{\"name\":\"alt\","
                + "\"port\":18082,\"accept_proxy\":true,\"maxconn\":50}").statusCode()).isEqualTo(202);
        assertThat(api.file()).contains("  bind :18082 name alt accept-proxy maxconn 50\n");
    }

    @Test
    void httpRequestRulesRoundTrip() throws Exception {
        String rules = CFG + "/frontends/http-in/http_request_rules";
        JsonNode first = json(api.get(rules + "/0"));
        assertThat(first.toString()).isEqualTo("{\"hdr_format\":\"https\",\"hdr_name\":\"X-Forwarded-Proto\","
                + "\"type\":\"set-header\"}");
        assertThat(api.send("POST", rules + "/0?version=1", "{\"type\":\"deny\",\"deny_status\":403,"
                + "\"cond\":\"if\",\"cond_test\":\"{ src 10.66.0.0/16 }\"}").statusCode()).isEqualTo(202);
        assertThat(api.file()).contains("  http-request deny deny_status 403 if { src 10.66.0.0/16 }\n"
                + "  http-request set-header X-Forwarded-Proto https\n");
        assertThat(api.send("POST", rules + "/0?version=2", "{\"type\":\"no-such-action\"}").statusCode())
                .isEqualTo(422);
        assertThat(api.send("POST", rules + "/0?version=2", "{\"cond\":\"if\"}").statusCode()).isEqualTo(422);
        assertThat(api.send("POST", rules + "/0?version=2", "{\"type\":\"use-service\","
                + "\"service_name\":\"prometheus-exporter\",\"cond\":\"if\",\"cond_test\":\"{ path /metrics }\"}")
                .statusCode()).isEqualTo(202);
        assertThat(api.file()).contains("  http-request use-service prometheus-exporter if { path /metrics }\n");
        assertThat(json(api.get(rules + "/0")).toString()).isEqualTo("{\"cond\":\"if\",\"cond_test\":\"{ path /metrics }\","
                + "\"service_name\":\"prometheus-exporter\",\"type\":\"use-service\"}");
    }

    @Test
    void browserGuardsRefuseForeignOriginsAndWrongContentTypes() {
        HttpResponse<String> text = api.send("POST", CFG + "/backends?version=1", "{\"name\":\"x\"}", "text/plain",
                true);
        assertThat(text.statusCode()).isEqualTo(415);
        HttpResponse<String> raw = api.send("POST", CFG + "/raw?version=1", "global\n", "application/json", true);
        assertThat(raw.statusCode()).isEqualTo(415);
        // a DELETE has no body: its Content-Type does not matter
        assertThat(api.send("DELETE", CFG + "/backends/none?version=1", "/dev/null", "application/json", true)
                .statusCode()).isEqualTo(404);
        assertThat(api.version()).isEqualTo(1);
    }

    @Test
    void theSeedScriptsRequestSequenceWorks() throws Exception {
        // add_backend.sh foo 127.0.0.1:9001 foo.example.com http-in
        long v = api.version();
        assertThat(api.send("POST", CFG + "/backends?version=" + v, "{\"name\": \"foo-backend\", \"mode\": \"http\"}")
                .statusCode()).isEqualTo(202);
        v++;
        assertThat(api.send("POST", CFG + "/backends/foo-backend/servers?version=" + v,
                "{\"name\": \"foo-backend\", \"address\": \"127.0.0.1\", \"port\": 9001}").statusCode()).isEqualTo(202);
        v++;
        int aclIndex = json(api.get(CFG + "/frontends/http-in/acls")).size();
        assertThat(api.send("POST", CFG + "/frontends/http-in/acls/" + aclIndex + "?version=" + v,
                "{\"acl_name\": \"foo-acl\", \"criterion\": \"hdr(host)\", \"value\": \"foo.example.com\"}")
                .statusCode()).isEqualTo(202);
        v++;
        int ruleIndex = json(api.get(CFG + "/frontends/http-in/backend_switching_rules")).size();
        assertThat(api.send("POST", CFG + "/frontends/http-in/backend_switching_rules/" + ruleIndex + "?version=" + v,
                "{\"name\": \"foo-backend\", \"cond\": \"if\", \"cond_test\": \"foo-acl\", \"backend\": \"foo\"}")
                .statusCode()).isEqualTo(202);
        assertThat(api.applier.applied.getLast().frontend("http-in").orElseThrow().useBackends())
                .singleElement().satisfies(u -> assertThat(u.backend()).isEqualTo("foo-backend"));

        // add_internalacl.sh http-in
        v = api.version();
        aclIndex = json(api.get(CFG + "/frontends/http-in/acls")).size();
        assertThat(api.send("POST", CFG + "/frontends/http-in/acls/" + aclIndex + "?version=" + v,
                "{\"acl_name\": \"internal\", \"criterion\": \"src\", \"value\": \"10.10.0.0/16 10.250.0.0/16"
                        + " 192.168.0.0/16 172.16.0.0/12\"}").statusCode()).isEqualTo(202);

        // put_internalacl.sh foo-backend http-in
        v = api.version();
        JsonNode rules = json(api.get(CFG + "/frontends/http-in/backend_switching_rules"));
        int index = -1;
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).get("name").asText().equals("foo-backend")) {
                index = i;
            }
        }
        assertThat(index).isZero();
        String cond = rules.get(index).get("cond_test").asText() + " internal";
        assertThat(api.send("PUT", CFG + "/frontends/http-in/backend_switching_rules/" + index + "?version=" + v,
                "{\"name\": \"foo-backend\", \"cond\": \"if\", \"cond_test\": \"" + cond + "\", \"backend\":"
                        + " \"foo-backend\"}").statusCode()).isEqualTo(202);
        assertThat(api.file()).contains("  use_backend foo-backend if foo-acl internal\n");

        // delete_backend.sh: rules whose cond_test names it, its ACLs, then the backend
        v = api.version();
        assertThat(api.send("DELETE", CFG + "/frontends/http-in/backend_switching_rules/0?version=" + v, null)
                .statusCode()).isEqualTo(202);
        v++;
        assertThat(api.send("DELETE", CFG + "/frontends/http-in/acls/0?version=" + v, null).statusCode())
                .isEqualTo(202);
        v++;
        assertThat(api.send("DELETE", CFG + "/backends/foo-backend?version=" + v, null).statusCode()).isEqualTo(202);
        assertThat(api.file()).doesNotContain("foo-");
        assertThat(api.version()).isEqualTo(v + 1);
        // the untouched lines are byte for byte what they were
        assertThat(api.file()).endsWith(ApiFixture.CONFIG.substring(ApiFixture.CONFIG.indexOf("backend fallback")));
    }

    @Test
    void rawTextIsWrittenAsGivenAndAnonymousSectionsAreAddressable() throws Exception {
        // cond_test and ACL values are written and read back exactly as sent (quotes included)
        assertThat(api.send("POST", CFG + "/frontends/http-in/acls/0?version=1",
                acl("h", "hdr(host)", "-i \\\"a b\\\" c")).statusCode()).isEqualTo(202);
        assertThat(api.send("POST", CFG + "/frontends/http-in/backend_switching_rules/0?version=2",
                "{\"name\":\"fallback-backend\",\"cond\":\"unless\",\"cond_test\":\"h || { src '10.0.0.0/8' }\"}")
                .statusCode()).isEqualTo(202);
        assertThat(api.file()).contains("  acl h hdr(host) -i \"a b\" c\n")
                .contains("  use_backend fallback-backend unless h || { src '10.0.0.0/8' }\n  default_backend");
        assertThat(json(api.get(CFG + "/frontends/http-in/backend_switching_rules/0")).get("cond_test").asText())
                .isEqualTo("h || { src '10.0.0.0/8' }");
        HttpResponse<String> open = api.send("POST", CFG + "/frontends/http-in/acls/0?version=3",
                acl("x", "src", "\\\"10.0.0.1"));
        assertThat(open.statusCode()).isEqualTo(422);
        assertThat(open.body()).contains("value in body");
        // the anonymous global and defaults sections are served (as unnamed_defaults_1, like the reference)
        assertThat(json(api.get(CFG + "/global")).get("performance_options").get("maxconn").asInt()).isEqualTo(256);
        assertThat(json(api.get(CFG + "/defaults")).get(0).get("name").asText()).isEqualTo("unnamed_defaults_1");
        assertThat(json(api.get(CFG + "/defaults/unnamed_defaults_1")).get("connect_timeout").asInt())
                .isEqualTo(5000);
        // users go through the user keyword's writer
        assertThat(api.send("POST", CFG + "/users?userlist=dataplane_users&version=3", "{\"username\":\"ops\","
                + "\"password\":\"two words\",\"secure_password\":false,\"groups\":\"a,b\"}").statusCode())
                .isEqualTo(202);
        assertThat(api.file()).contains("  user admin insecure-password adminpass\n"
                + "  user ops insecure-password 'two words' groups a,b\n");
        assertThat(api.send("DELETE", CFG + "/backends/ghost?version=4", null).body())
                .contains("missing object: backend ghost does not exist");
    }

    static String acl(String name, String criterion, String value) {
        return "{\"acl_name\":\"" + name + "\",\"criterion\":\"" + criterion + "\",\"value\":\"" + value + "\"}";
    }
}
