package io.flagman.config.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Balance;
import io.flagman.config.model.Config;
import io.flagman.config.model.ContentFormat;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.Match;
import io.flagman.config.model.Mode;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.model.SendProxy;
import io.flagman.config.model.Timeout;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Diagnostic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The user's two configs (verbatim from the seed article) must parse without errors. */
class SeedConfigsTest {

    static String resource(String path) {
        try (InputStream in = SeedConfigsTest.class.getResourceAsStream("/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static ParseResult parse(String path) {
        return ConfigParser.parse(ConfigDocument.parse(path, resource(path), name -> null));
    }

    @Test
    void workerConfigParses() {
        ParseResult r = parse("seed/haproxy.cfg");
        assertThat(r.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
        Config c = r.config();
        // daemon is accepted with a warning that says what Flagman does not do; stats socket is served.
        assertThat(r.diagnostics()).extracting(Diagnostic::line).containsExactly(2);
        assertThat(c.global().maxconn()).isEqualTo(256);
        assertThat(c.global().statsSockets()).singleElement().satisfies(s -> {
            assertThat(s.address().path()).isEqualTo("/tmp/haproxy.sock");
            assertThat(s.mode()).isEqualTo(0600);
            assertThat(s.level()).isEqualTo(io.flagman.config.model.StatsSocket.Level.ADMIN);
        });
        Frontend f = c.frontend("http-in").orElseThrow();
        assertThat(f.mode()).isEqualTo(Mode.HTTP);
        assertThat(f.binds().getFirst().acceptProxy()).isTrue();
        assertThat(f.binds().getFirst().address().port()).isEqualTo(80);
        assertThat(f.forwardFor().header()).isEqualTo("X-Forwarded-For");
        assertThat(f.forwardFor().ifNone()).isTrue();
        assertThat(f.has(ProxyOption.HTTPLOG)).isTrue();
        assertThat(f.defaultBackend()).isEqualTo("fallback-backend");
        assertThat(f.logs()).hasSize(1);
        assertThat(f.logs().getFirst().address()).isEqualTo("stdout");
        assertThat(f.timeouts().get(Timeout.CLIENT)).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.userlist("dataplane_users").orElseThrow().users().getFirst().secure()).isFalse();
        HttpRule.Return ret = (HttpRule.Return) c.backend("fallback-backend").orElseThrow().httpRequestRules()
                .getFirst();
        assertThat(ret.status()).isEqualTo(404);
        assertThat(ret.contentType()).isEqualTo("text/html");
        assertThat(ret.format()).isEqualTo(ContentFormat.LF_FILE);
        assertThat(ret.content()).isEqualTo("/etc/haproxy/errors/custom_404.html");
    }

    @Test
    void loadBalancerConfigParses() {
        ParseResult r = parse("seed/haproxy-lb.cfg");
        assertThat(r.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
        Config c = r.config();
        Frontend https = c.frontend("https-in").orElseThrow();
        assertThat(https.binds().getFirst().ssl()).isTrue();
        assertThat(https.binds().getFirst().certificates()).containsExactly("/etc/letsencrypt/live/example/haproxy.pem");
        assertThat(https.acls()).extracting(a -> a.name()).containsExactly("internal", "example_subdomain");
        assertThat(https.acls().getFirst().test().patterns()).containsExactly("10.0.0.0/8", "192.168.0.0/16",
                "172.16.0.0/12");
        assertThat(https.acls().get(1).test().match()).isEqualTo(Match.REG);
        assertThat(https.acls().get(1).test().ignoreCase()).isTrue();
        assertThat(https.acls().get(1).test().fetch().name()).isEqualTo("hdr");
        assertThat(https.acls().get(1).test().fetch().args()).containsExactly("host");
        assertThat(https.forwardFor().header()).isEqualTo("X-Real-IP");
        HttpRule.SetHeader set = (HttpRule.SetHeader) https.httpRequestRules().getFirst();
        assertThat(set.condition().alternatives().getFirst().getFirst().anonymous().fetch().name()).isEqualTo("ssl_fc");
        assertThat(https.useBackends().getFirst().condition().text()).isEqualTo("example_subdomain");
        HttpRule.Redirect redirect = (HttpRule.Redirect) c.frontend("http-in").orElseThrow().httpRequestRules()
                .getFirst();
        assertThat(redirect.code()).isEqualTo(301);
        assertThat(redirect.type()).isEqualTo(HttpRule.RedirectType.SCHEME);
        Backend example = c.backend("example-backend").orElseThrow();
        assertThat(example.balance().algorithm()).isEqualTo(Balance.Algorithm.SOURCE);
        assertThat(example.servers()).extracting(s -> s.host() + ":" + s.port() + ":" + s.sendProxy())
                .containsExactly("haproxy1:80:" + SendProxy.V1, "haproxy2:80:" + SendProxy.V1);
        assertThat(example.has(ProxyOption.HTTP_SERVER_CLOSE)).isTrue();
        assertThat(example.has(ProxyOption.HTTPLOG)).isTrue();
        assertThat(example.timeouts().get(Timeout.HTTP_REQUEST)).isEqualTo(Duration.ofSeconds(10));
    }
}
