package io.flagman.config.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.model.BindAddress;
import io.flagman.config.model.StatsSocket;
import io.flagman.config.text.Diagnostic;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stats socket|timeout|maxconn} in the global section: the model, the diagnostics. */
class StatsKeywordTest {
    @TempDir
    Path dir;

    private ParseResult global(String lines) {
        return ConfigParserTest.parse("global\n" + lines + "\n");
    }

    @Test
    void severalSocketsWithTheirLevelsAndModes() {
        ParseResult r = global("""
                    stats socket %s/a.sock mode 600 level admin
                    stats socket unix@%s/b.sock
                    stats socket ipv4@127.0.0.1:9999 level user
                    stats socket ipv6@[::1]:9998 level operator
                    stats timeout 2m
                    stats maxconn 3""".formatted(dir, dir));
        assertThat(r.diagnostics()).isEmpty();
        var g = r.config().global();
        assertThat(g.statsSockets()).extracting(StatsSocket::level).containsExactly(StatsSocket.Level.ADMIN,
                StatsSocket.Level.OPERATOR, StatsSocket.Level.USER, StatsSocket.Level.OPERATOR);
        assertThat(g.statsSockets()).extracting(StatsSocket::mode).containsExactly(0600, -1, -1, -1);
        assertThat(g.statsSockets().get(1).address().path()).isEqualTo(dir + "/b.sock");
        assertThat(g.statsSockets().get(2).address().family()).isEqualTo(BindAddress.Family.IPV4);
        assertThat(g.statsSockets().get(3).address().host()).isEqualTo("::1");
        assertThat(g.effectiveStatsTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(g.effectiveStatsMaxconn()).isEqualTo(3);
    }

    @Test
    void defaultsAreHaproxys() {
        var g = global("    stats socket " + dir + "/a.sock").config().global();
        assertThat(g.statsSockets().getFirst().level()).isEqualTo(StatsSocket.Level.OPERATOR);
        assertThat(g.effectiveStatsTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(g.effectiveStatsMaxconn()).isEqualTo(10);
    }

    @Test
    void aSocketInAMissingDirectoryIsAnError() {
        ParseResult r = global("    stats socket " + dir + "/nope/a.sock level admin");
        assertThat(r.diagnostics()).filteredOn(Diagnostic::isError).singleElement().satisfies(d -> {
            assertThat(d.line()).isEqualTo(2);
            assertThat(d.column()).isEqualTo(18);
            assertThat(d.message()).contains("the directory of '" + dir + "/nope/a.sock' does not exist");
        });
    }

    @Test
    void mistakesAreDiagnostics() {
        assertThat(errors("    stats socket " + dir + "/a.sock level root")).containsExactly("'stats socket': unknown level 'root'");
        assertThat(errors("    stats socket " + dir + "/a.sock mode 999")).containsExactly("'stats socket': invalid mode '999'");
        assertThat(errors("    stats socket " + dir + "/a.sock frob")).containsExactly("'stats socket': unknown option 'frob'");
        assertThat(errors("    stats socket 127.0.0.1:9999")).isEmpty();
        assertThat(errors("    stats socket ipv4@127.0.0.1")).singleElement().asString().contains("missing port");
        assertThat(errors("    stats socket ipv4@127.0.0.1:80-90")).singleElement().asString().contains("needs one port");
        assertThat(errors("    stats timeout 0")).containsExactly("'stats timeout' must be greater than 0");
        assertThat(errors("    stats maxconn none")).singleElement().asString().contains("invalid number of connections");
        assertThat(errors("    stats frob")).containsExactly("unknown stats setting 'frob'");
    }

    @Test
    void optionsWithoutEffectAreWarningsThatSaySo() {
        ParseResult r = global("    stats socket " + dir + "/a.sock expose-fd listeners user haproxy\n"
                + "    stats socket ipv4@127.0.0.1:9999 mode 600");
        assertThat(r.diagnostics()).allMatch(d -> !d.isError()).extracting(Diagnostic::message).containsExactly(
                "'expose-fd' has no effect in Flagman", "'user' on a stats socket has no effect in Flagman",
                "'mode' only applies to a unix socket");
    }

    private java.util.List<String> errors(String lines) {
        return global(lines).diagnostics().stream().filter(Diagnostic::isError).map(Diagnostic::message).toList();
    }
}
