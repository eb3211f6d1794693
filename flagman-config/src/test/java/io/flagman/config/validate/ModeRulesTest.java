package io.flagman.config.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.config.parse.ConfigParser;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What cannot take effect in a proxy's mode, and where HAProxy's missing-timeouts warning applies. */
class ModeRulesTest {

    private static final String TIMEOUTS = """
                timeout connect 5s
                timeout client 30s
                timeout server 30s
            """;

    @TempDir
    Path dir;

    private List<Diagnostic> check(String text) {
        LoadResult r = ConfigLoader.fromText("t.cfg", text, dir);
        return r.diagnostics();
    }

    private static List<String> formatted(List<Diagnostic> ds) {
        return ds.stream().map(Diagnostic::format).toList();
    }

    @Test
    void abortOnCloseInATcpBackendIsAWarningThatItDoesNothingThere() {
        List<Diagnostic> ds = check("defaults\n" + TIMEOUTS + """
                backend db
                    option abortonclose
                    server a 127.0.0.1:15432
                """);
        assertThat(formatted(ds)).singleElement().asString().startsWith(
                "t.cfg:6:12: warning: backend 'db': 'option abortonclose' has no effect in mode tcp");
        assertThat(check("defaults\n    mode http\n" + TIMEOUTS + """
                backend web
                    option abortonclose
                    server a 127.0.0.1:18080
                """)).isEmpty();
    }

    @Test
    void theIssuesExampleIsAnErrorWithTheHintToAddModeHttp() {
        // README tour shape: no mode anywhere, so the frontend and the backend are tcp.
        List<Diagnostic> ds = check("defaults\n" + TIMEOUTS + """
                frontend web
                    bind 127.0.0.1:18080
                    use_backend api if { hdr(host) -i api.test }
                    default_backend app
                backend api
                    server a 127.0.0.1:19002
                backend app
                    http-request return status 200 content-type text/plain string ok
                    server a 127.0.0.1:19001
                """);
        assertThat(formatted(ds)).containsExactly(
                "t.cfg:7:26: error: frontend 'web': the use_backend condition reads hdr, which needs mode http, and"
                        + " this frontend is in mode tcp: the condition cannot be evaluated (expected: mode http, or"
                        + " connection fetches such as src, dst, dst_port, ssl_fc_sni); add 'mode http' to defaults"
                        + " or to frontend 'web', or test connection facts instead",
                "t.cfg:12:5: error: backend 'app': 'http-request' rules need mode http, and this backend is in mode"
                        + " tcp: this rule would never run (expected: mode http); add 'mode http' to defaults, or to"
                        + " backend 'app' and to the frontend 'web' that uses it, or remove the http-request rules");
    }

    @Test
    void theHintNamesTheLineThatSetsModeTcp() {
        List<Diagnostic> ds = check("defaults\n    mode tcp\n" + TIMEOUTS + """
                frontend own
                    mode tcp
                    bind 127.0.0.1:18080
                    http-request deny
                    default_backend app
                backend app
                    http-response del-header Server
                    server a 127.0.0.1:19001
                """);
        assertThat(ds).extracting(Diagnostic::hint).containsExactly(
                "change 'mode tcp' on line 7 to 'mode http', or remove the http-request rules",
                "add 'mode http' to backend 'app' (its defaults set 'mode tcp' on line 2), or remove the"
                        + " http-response rules");
    }

    @Test
    void modeAndOptionsComeFromTheDefaultsNamedWithFrom() {
        List<Diagnostic> ds = check("defaults web_defaults\n    mode http\n    option forwardfor\n" + TIMEOUTS
                + "defaults tcp_defaults\n    mode tcp\n    option forwardfor\n" + TIMEOUTS + """
                frontend web from web_defaults
                    bind 127.0.0.1:18080
                    http-request deny if { path_beg /x }
                    default_backend app
                backend app from web_defaults
                    server a 127.0.0.1:19001
                frontend raw
                    bind 127.0.0.1:18081
                    default_backend pg
                backend pg
                    server p 127.0.0.1:19002
                """);
        // Only the proxies of tcp_defaults are tcp; the forwardfor line is the one of their defaults (line 9).
        assertThat(formatted(ds)).hasSize(2).allMatch(d -> d.startsWith("t.cfg:9:12: error: ")
                && d.contains("'option forwardfor' needs mode http"));
        assertThat(ds).extracting(Diagnostic::message).anyMatch(m -> m.startsWith("frontend 'raw'"))
                .anyMatch(m -> m.startsWith("backend 'pg'"));
    }

    @Test
    void uselessHttpSettingsAreWarningsAndTheConfigStaysValid() {
        LoadResult r = ConfigLoader.fromText("t.cfg", "defaults\n" + TIMEOUTS + """
                frontend db
                    bind 127.0.0.1:15432
                    option httplog
                    option http-server-close
                    timeout http-request 5s
                    default_backend pg
                backend pg
                    server p 127.0.0.1:25432
                """, dir);
        assertThat(r.ok()).isTrue();
        assertThat(r.diagnostics()).allMatch(d -> !d.isError()).extracting(Diagnostic::line)
                .containsExactly(7, 8, 9);
    }

    @Test
    void aTcpFrontendUsingAnHttpBackendIsAWarningOrAnErrorWhenTheBackendHasRules() {
        List<Diagnostic> ds = check("defaults\n" + TIMEOUTS + """
                frontend raw
                    bind 127.0.0.1:18080
                    use_backend rules if { dst_port 18080 }
                    default_backend plain
                backend plain
                    mode http
                    server a 127.0.0.1:19001
                backend rules
                    mode http
                    http-request set-header X-A 1
                    server a 127.0.0.1:19002
                """);
        assertThat(ds).extracting(Diagnostic::severity, Diagnostic::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Diagnostic.Severity.ERROR, 7),
                org.assertj.core.groups.Tuple.tuple(Diagnostic.Severity.WARNING, 8));
    }

    @Test
    void disabledProxiesAreNotChecked() {
        assertThat(check("defaults\n" + TIMEOUTS + """
                frontend off
                    disabled
                    bind 127.0.0.1:18080
                    http-request deny
                    default_backend app
                backend app
                    disabled
                    http-request deny
                backend empty
                """)).isEmpty();
    }

    @Test
    void missingTimeoutsFollowHaproxy() {
        List<Diagnostic> ds = check("""
                defaults
                    timeout client 30s
                    timeout connect 5s
                    timeout tunnel 1h
                frontend db
                    bind 127.0.0.1:15432
                    default_backend pg
                backend pg
                    server p 127.0.0.1:25432
                backend web
                    mode http
                    server w 127.0.0.1:19001
                backend empty
                listen idle
                    bind 127.0.0.1:15433
                    timeout client 0
                    server p 127.0.0.1:25432
                """);
        assertThat(formatted(ds)).containsExactly(
                "t.cfg:10:9: warning: backend 'web': missing timeouts: 'timeout server' is not set (HAProxy warns"
                        + " about this too): a server that stops answering keeps the connection open forever; set"
                        + " 'timeout server' to a non-zero value in defaults or in backend 'web'",
                "t.cfg:14:8: warning: listen 'idle': missing timeouts: 'timeout client' is not set (HAProxy warns"
                        + " about this too): an idle client keeps its connection open forever; set 'timeout client'"
                        + " to a non-zero value in defaults or in listen 'idle'");
    }

    @Test
    void aModelWithoutTextIsCheckedWithTheModelsLines() {
        String text = "defaults\n" + TIMEOUTS + """
                frontend web
                    bind 127.0.0.1:18080
                    http-request deny
                    default_backend app
                backend app
                    server a 127.0.0.1:19001
                """;
        var config = ConfigParser.parse(ConfigDocument.parse("t.cfg", text)).config();
        List<Diagnostic> ds = ConfigValidator.validate(config, "api", dir);
        assertThat(formatted(ds)).containsExactly("api:7: error: frontend 'web': 'http-request' rules need mode"
                + " http, and this frontend is in mode tcp: this rule would never run (expected: mode http); add"
                + " 'mode http' to defaults or to frontend 'web', or remove the http-request rules");
    }
}
