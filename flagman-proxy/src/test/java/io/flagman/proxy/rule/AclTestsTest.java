package io.flagman.proxy.rule;

import static io.flagman.proxy.rule.Acls.acl;
import static io.flagman.proxy.rule.Acls.matches;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclTestsTest {

    private final TestSample request = TestSample.get("/api/v1/users?id=42&name=bob").header("Host", "www.Example.com:8080");

    @Test
    void srcMatchesNetworksOfBothFamiliesAndMappedAddresses() {
        assertThat(matches(acl("src", "192.0.2.0/24"), request)).isTrue();
        assertThat(matches(acl("src", "10.0.0.0/8", "192.0.2.10"), request)).isTrue();
        assertThat(matches(acl("src", "10.0.0.0/8"), request)).isFalse();
        assertThat(matches(acl("src", "192.0.0.0/255.255.0.0"), request)).isTrue();
        assertThat(matches(acl("src", "192.0.2.0/24"), request.from("::ffff:192.0.2.77"))).isTrue();
        assertThat(matches(acl("src", "2001:db8::/32"), request.from("2001:db8::1"))).isTrue();
        assertThat(matches(acl("src", "2001:db8::/32"), request)).isFalse();
        assertThat(matches(acl("src", "-m", "ip", "::1"), request.from("::1"))).isTrue();
    }

    @Test
    void dstAndDstPort() {
        assertThat(matches(acl("dst", "127.0.0.0/8"), request)).isTrue();
        assertThat(matches(acl("dst_port", "8080"), request)).isTrue();
        assertThat(matches(acl("dst_port", "80", "443"), request)).isFalse();
        assertThat(matches(acl("dst_port", "8000:8999"), request)).isTrue();
        assertThat(matches(acl("dst_port", "1024:"), request)).isTrue();
        assertThat(matches(acl("dst_port", "lt", "1024"), request)).isFalse();
        assertThat(matches(acl("dst_port", "ge 8080"), request)).isTrue();
        assertThat(matches(acl("dst_port", "gt", "8080"), request)).isFalse();
        assertThat(matches(acl("dst_port", "le", "8080"), request)).isTrue();
        assertThat(matches(acl("dst_port", "eq", "8080"), request)).isTrue();
    }

    @Test
    void hdrSplitsOnCommasAndTestsEveryValue() {
        TestSample r = TestSample.get("/").header("X-Tag", "alpha, beta").header("x-tag", "\"ga,mma\"");
        assertThat(matches(acl("hdr(x-tag)", "beta"), r)).isTrue();
        assertThat(matches(acl("hdr(x-tag)", "alpha, beta"), r)).isFalse();
        assertThat(matches(acl("hdr(x-tag)", "\"ga,mma\""), r)).isTrue();
        assertThat(matches(acl("req.fhdr(x-tag)", "alpha, beta"), r)).isTrue();
        assertThat(matches(acl("hdr(x-tag,1)", "alpha"), r)).isTrue();
        assertThat(matches(acl("hdr(x-tag,1)", "beta"), r)).isFalse();
        assertThat(matches(acl("hdr(x-tag,-1)", "\"ga,mma\""), r)).isTrue();
        assertThat(matches(acl("hdr(x-tag,2)", "beta"), r)).isTrue();
        assertThat(matches(acl("hdr_cnt(x-tag)", "3"), r)).isTrue();
        assertThat(matches(acl("req.hdr(X-TAG)", "alpha"), r)).isTrue();
    }

    @Test
    void hdrIsCaseSensitiveUnlessDashI() {
        assertThat(matches(acl("hdr(host)", "www.example.com:8080"), request)).isFalse();
        assertThat(matches(acl("hdr(host)", "-i", "www.example.com:8080"), request)).isTrue();
        assertThat(matches(acl("hdr(host)", "-i", "a", "b", "WWW.EXAMPLE.COM:8080"), request)).isTrue();
        assertThat(matches(acl("hdr(host),lower", "www.example.com:8080"), request)).isTrue();
        assertThat(matches(acl("hdr(host),upper", "WWW.EXAMPLE.COM:8080"), request)).isTrue();
    }

    @Test
    void hdrSuffixForms() {
        assertThat(matches(acl("hdr_beg(host)", "-i", "www."), request)).isTrue();
        assertThat(matches(acl("hdr_end(host)", ":8080"), request)).isTrue();
        assertThat(matches(acl("hdr_sub(host)", "-i", "example"), request)).isTrue();
        assertThat(matches(acl("hdr_sub(host)", "example"), request)).isFalse();
        assertThat(matches(acl("hdr_reg(host)", "-i", "^www\\.[a-z]+\\.com"), request)).isTrue();
        assertThat(matches(acl("hdr_reg(host)", "^example"), request)).isFalse();
        assertThat(matches(acl("hdr_len(host)", "20"), request)).isTrue();
        assertThat(matches(acl("hdr_ip(x-forwarded-for)", "10.0.0.0/8"), TestSample.get("/").header("X-Forwarded-For", "10.1.2.3, 192.0.2.1"))).isTrue();
        assertThat(matches(acl("hdr_ip(x-forwarded-for)", "10.0.0.0/8"), TestSample.get("/").header("X-Forwarded-For", "unknown"))).isFalse();
    }

    @Test
    void domMatchesDotDelimitedWords() {
        assertThat(matches(acl("hdr_dom(host)", "-i", "example.com"), request)).isTrue();
        assertThat(matches(acl("hdr_dom(host)", "-i", "www"), request)).isTrue();
        assertThat(matches(acl("hdr_dom(host)", "-i", "8080"), request)).isTrue();
        assertThat(matches(acl("hdr_dom(host)", "-i", "xample.com"), request)).isFalse();
        assertThat(matches(acl("hdr_dom(host)", "-i", ".example."), request)).isTrue();
        assertThat(matches(acl("hdr_dom(host)", "example.com"), request)).isFalse();
    }

    @Test
    void dirMatchesSlashDelimitedWords() {
        assertThat(matches(acl("path_dir", "api"), request)).isTrue();
        assertThat(matches(acl("path_dir", "v1/users"), request)).isTrue();
        assertThat(matches(acl("path_dir", "/api/"), request)).isTrue();
        assertThat(matches(acl("path_dir", "ap"), request)).isFalse();
        assertThat(matches(acl("path", "-m", "dir", "users"), request)).isTrue();
    }

    @Test
    void pathIsTheTargetBeforeTheQueryWithAbsoluteFormStripped() {
        assertThat(matches(acl("path", "/api/v1/users"), request)).isTrue();
        assertThat(matches(acl("path_beg", "/api/", "/static/"), request)).isTrue();
        assertThat(matches(acl("path_end", "/users"), request)).isTrue();
        assertThat(matches(acl("path_sub", "v1"), request)).isTrue();
        assertThat(matches(acl("path_reg", "^/api/v[0-9]+/"), request)).isTrue();
        assertThat(matches(acl("path", "/x"), TestSample.get("http://host:81/x?y"))).isTrue();
        assertThat(matches(acl("path", "-m", "found"), TestSample.get("example.com:443").method("CONNECT"))).isFalse();
        assertThat(matches(acl("path_len", "13"), request)).isTrue();
    }

    @Test
    void urlBaseQueryAndUrlParam() {
        assertThat(matches(acl("url", "/api/v1/users?id=42&name=bob"), request)).isTrue();
        assertThat(matches(acl("url_beg", "/api"), request)).isTrue();
        assertThat(matches(acl("url_sub", "name=bob"), request)).isTrue();
        assertThat(matches(acl("base", "www.Example.com:8080/api/v1/users"), request)).isTrue();
        assertThat(matches(acl("base_beg", "-i", "www.example.com:8080/api"), request)).isTrue();
        assertThat(matches(acl("query", "id=42&name=bob"), request)).isTrue();
        assertThat(matches(acl("query", "-m", "found"), TestSample.get("/x"))).isFalse();
        assertThat(matches(acl("url_param(name)", "bob"), request)).isTrue();
        assertThat(matches(acl("url_param(id)", "-m", "int", "gt", "40"), request)).isTrue();
        assertThat(matches(acl("url_param(missing)", "-m", "found"), request)).isFalse();
        assertThat(matches(acl("urlp(name)", "bob"), request)).isTrue();
    }

    @Test
    void methodAndTls() {
        assertThat(matches(acl("method", "GET", "HEAD"), request)).isTrue();
        assertThat(matches(acl("method", "POST"), request)).isFalse();
        assertThat(matches(acl("ssl_fc"), request)).isFalse();
        assertThat(matches(acl("ssl_fc"), request.ssl("api.example.com"))).isTrue();
        assertThat(matches(acl("ssl_fc_sni", "api.example.com"), request.ssl("api.example.com"))).isTrue();
        assertThat(matches(acl("ssl_fc_sni_end", ".example.com"), request.ssl("api.example.com"))).isTrue();
        assertThat(matches(acl("req.ssl_sni", "-m", "found"), request)).isFalse();
        assertThat(matches(acl("req_ssl_sni", "-i", "API.example.com"), request.ssl("api.example.com"))).isTrue();
    }

    @Test
    void nbsrvAndConstants() {
        TestSample r = request.servers(Map.of("app", 2));
        assertThat(matches(acl("nbsrv(app)", "lt", "1"), r)).isFalse();
        assertThat(matches(acl("nbsrv(app)", "ge", "2"), r)).isTrue();
        assertThat(matches(acl("nbsrv(other)", "lt", "1"), r)).isTrue();
        assertThat(matches(acl("always_true"), r)).isTrue();
        assertThat(matches(acl("always_false"), r)).isFalse();
    }

    @Test
    void foundAndBoolFollowHaproxy() {
        TestSample r = TestSample.get("/").header("X-Empty", "").header("X-Num", "0").header("X-One", "12abc");
        assertThat(matches(acl("hdr(x-empty)", "-m", "found"), r)).isTrue();
        assertThat(matches(acl("hdr(x-absent)", "-m", "found"), r)).isFalse();
        assertThat(matches(acl("hdr(x-num)", "-m", "bool"), r)).isFalse();
        assertThat(matches(acl("hdr(x-one)", "-m", "bool"), r)).isTrue();
        assertThat(matches(acl("hdr(x-one)", "-m", "int", "12"), r)).isTrue();
        assertThat(matches(acl("hdr(x-absent)", "-m", "len", "0"), r)).isFalse();
    }

    @Test
    void aclWithoutPatternNeverMatches() {
        assertThat(matches(acl("path"), request)).isFalse();
        assertThat(matches(acl("hdr(host)"), request)).isFalse();
    }

    @Test
    void tcpModeSamplesAreAbsent() {
        TestSample tcp = TestSample.tcp("10.0.0.1");
        assertThat(matches(acl("path", "-m", "found"), tcp)).isFalse();
        assertThat(matches(acl("method", "GET"), tcp)).isFalse();
        assertThat(matches(acl("hdr(host)", "-m", "found"), tcp)).isFalse();
        assertThat(matches(acl("src", "10.0.0.0/8"), tcp)).isTrue();
    }

    @Test
    void patternFilesAreLoadedAtCompile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("blocked.lst");
        Files.writeString(file, "# blocked networks\n\n10.0.0.0/8\n  192.0.2.0/24  \n");
        assertThat(matches(acl("src", "-f", file.toString()), request)).isTrue();
        assertThat(matches(acl("src", "-f", file.toString()), request.from("198.51.100.1"))).isFalse();
        Path hosts = dir.resolve("hosts.lst");
        Files.writeString(hosts, "a.example\nWWW.example.com:8080\n");
        assertThat(matches(acl("hdr(host)", "-i", "-f", hosts.toString()), request)).isTrue();
    }

    @Test
    void configurationMistakesAreIllegalArguments() {
        assertThatThrownBy(() -> Conditions.compile(acl("nosuchfetch", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nosuchfetch");
        assertThatThrownBy(() -> Conditions.compile(acl("hdr(host),base64", "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> Conditions.compile(acl("src", "not-an-ip"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conditions.compile(acl("path_reg", "("))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conditions.compile(acl("src", "-f", "/nonexistent/file.lst"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conditions.compile(acl("dst_port", "eighty"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evaluationNeverThrowsOnOddInput() {
        TestSample odd = new TestSample(null, null, false, null, "GET", "", null, java.util.List.of(), Map.of());
        assertThat(matches(acl("src", "0.0.0.0/0"), odd)).isFalse();
        assertThat(matches(acl("path", "-m", "found"), odd)).isFalse();
        assertThat(matches(acl("dst_port", "1:65535"), odd)).isFalse();
        assertThat(matches(acl("base", "-m", "found"), odd)).isFalse();
    }

    @Test
    void responseFetchesReadTheResponseSample() {
        record Response(TestSample request, int status, java.util.List<String> server) implements ResponseSample {
            public java.net.InetSocketAddress source() { return request.source(); }
            public java.net.InetSocketAddress destination() { return request.destination(); }
            public boolean isSsl() { return false; }
            public String sni() { return null; }
            public String method() { return request.method(); }
            public String uri() { return request.uri(); }
            public String httpVersion() { return request.httpVersion(); }
            public java.util.List<String> headerValues(String name) { return request.headerValues(name); }
            public int usableServers(String backend) { return 0; }
            public java.util.List<String> responseHeaderValues(String name) {
                return name.equalsIgnoreCase("server") ? server : java.util.List.of();
            }
        }
        Response r = new Response(request, 503, java.util.List.of("nginx"));
        assertThat(matches(acl("status", "500:599"), r)).isTrue();
        assertThat(matches(acl("status", "200"), r)).isFalse();
        assertThat(matches(acl("res.hdr(server)", "nginx"), r)).isTrue();
        assertThat(matches(acl("res.hdr_beg(server)", "ngi"), r)).isTrue();
        assertThat(matches(acl("status", "500:599"), request)).isFalse();
        assertThat(matches(acl("req.len", "gt", "0"), request)).isFalse();
    }
}
