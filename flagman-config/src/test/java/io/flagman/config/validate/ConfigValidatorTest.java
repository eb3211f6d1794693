package io.flagman.config.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.parse.ConfigParser;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidatorTest {

    private static final String HEAD = """
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s
            """;

    @TempDir
    Path dir;

    private List<String> errors(String text) {
        LoadResult r = ConfigLoader.fromText("t.cfg", HEAD + text, dir);
        return r.errors().stream().map(Diagnostic::format).toList();
    }

    @Test
    void validConfigHasNoErrorsAndKeepsItsModel() {
        LoadResult r = ConfigLoader.fromText("t.cfg", HEAD + """
                frontend web
                    bind 127.0.0.1:18080
                    acl is_api path_beg /api
                    use_backend api if is_api
                    default_backend app
                backend app
                    server a 127.0.0.1:19001
                backend api
                    server b 127.0.0.1:19002
                """, dir);
        assertThat(r.errors()).isEmpty();
        assertThat(r.config()).isNotNull();
    }

    @Test
    void listenSectionProblemIsReportedOnce() {
        assertThat(errors("""
                listen app
                    bind 127.0.0.1:18080
                    use-server s2 if { path_beg /x }
                    http-request deny if is_bad
                    server s1 127.0.0.1:19001
                """)).containsExactly(
                "t.cfg:8:16: error: backend 'app': use-server 's2' is not a server of this backend (expected: one of"
                        + " s1); did you mean 's1'?",
                "t.cfg:9:26: error: listen 'app': no such ACL 'is_bad' (expected: an ACL declared in this listen"
                        + " (none defined) or a predefined one); declare it first: 'acl is_bad <criterion> <patterns>'");
    }

    @Test
    void bindsCollideOnOverlappingPortRangesAndUnixPathsOnly() {
        assertThat(errors("""
                frontend a
                    bind 127.0.0.1:18000-18010
                    bind 127.0.0.2:18005
                    bind unix@/tmp/flagman-test.sock
                    default_backend app
                frontend b
                    bind 127.0.0.1:18005
                    bind unix@/tmp/flagman-test.sock
                    default_backend app
                backend app
                    server s1 127.0.0.1:19001
                """)).containsExactly(
                "t.cfg:12:10: error: frontend 'b': bind '127.0.0.1:18005' uses the same address and port as the bind on"
                        + " line 7 of frontend 'a' (expected: each address:port bound once); use another port or address",
                "t.cfg:13:10: error: frontend 'b': bind 'unix@/tmp/flagman-test.sock' uses the same address and port"
                        + " as the bind on line 9 of frontend 'a' (expected: each address:port bound once); use another"
                        + " port or address");
    }

    @Test
    void syntaxErrorsDoNotHideMeaningErrorsNorCascadeIntoThem() {
        assertThat(errors("""
                frontend web
                    bind 127.0.0.1:18080
                    acl is_api pth_beg /api
                    use_backend api if is_api
                    use_backend apii if { path_beg /v2 }
                    default_backend api
                backend api
                    server s1 127.0.0.1:19001
                """)).satisfiesExactly(
                fetch -> assertThat(fetch).startsWith("t.cfg:8:16: error: acl 'is_api': fetch 'pth_beg'"),
                missing -> assertThat(missing).isEqualTo("t.cfg:10:17: error: frontend 'web': use_backend 'apii' does"
                        + " not exist (expected: one of the backends: api); did you mean 'api'?"));
    }

    @Test
    void filesResolveAgainstTheBaseDirectoryAndDefaultsAreReportedOnce() throws IOException {
        Files.writeString(dir.resolve("ok.http"), "HTTP/1.0 503 x\r\n\r\n");
        assertThat(errors("""
                    errorfile 503 missing.http
                frontend web
                    bind 127.0.0.1:18080
                    errorfile 504 ok.http
                    default_backend app
                backend app
                    server s1 127.0.0.1:19001
                """)).containsExactly("t.cfg:6:19: error: errorfile 503: file 'missing.http' does not exist or is not"
                + " readable (looked for " + dir.resolve("missing.http") + ") (expected: an existing readable file);"
                + " relative paths are resolved against the configuration's directory");
    }

    @Test
    void caseInsensitiveRegexesCompileAndBrokenOnesPointAtThePattern() {
        assertThat(errors("""
                frontend web
                    bind 127.0.0.1:18080
                    acl ok hdr_reg(host) -i ^(www|api)\\.example\\.test$
                    acl bad path_reg ^/[z-a]
                    http-request deny if ok bad
                    default_backend app
                backend app
                    server s1 127.0.0.1:19001
                """)).singleElement().asString()
                .startsWith("t.cfg:9:22: error: invalid regular expression '^/[z-a]': Illegal character range");
    }

    @Test
    void aModelWithoutSourceTextGetsLinesButNoColumns() {
        ConfigDocument doc = ConfigDocument.parse("t.cfg", HEAD + """
                frontend web
                    bind 127.0.0.1:18080
                    default_backend ap
                backend app
                    server s1 127.0.0.1:19001
                """);
        var config = ConfigParser.parse(doc).config();
        List<Diagnostic> found = ConfigValidator.validate(config, "t.cfg", dir);
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(6);
            assertThat(d.column()).isZero();
            assertThat(d.hint()).isEqualTo("did you mean 'app'?");
        });
    }
}
