package io.flagman.config.parse;

import io.flagman.config.model.Condition;
import io.flagman.config.model.ContentFormat;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.LogFormat;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code monitor-uri <uri>} (defaults, frontend, listen): a request whose URI is exactly {@code <uri>} (query
 * string included, as HAProxy compares it) is answered {@code 200 OK} locally, before any {@code http-request}
 * rule, with HAProxy's body and headers; it never reaches a backend. It becomes the first http-request rule of the
 * frontend ({@link #rule}). {@code monitor fail} is not supported (an error).
 */
final class MonitorUriKeyword implements Keyword<ProxyBuilder> {

    static final MonitorUriKeyword INSTANCE = new MonitorUriKeyword();

    /** HAProxy 2.6's answer, byte for byte. */
    static final String BODY = "<html><body><h1>200 OK</h1>\nService ready.\n</body></html>\n";

    @Override
    public String name() {
        return "monitor-uri";
    }

    @Override
    public String usage() {
        return "monitor-uri <uri>";
    }

    @Override
    public String summary() {
        return "answer 200 locally to requests for exactly this URI, before any http-request rule";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String uri = d.word(1);
        if (uri == null) {
            d.missing(1, "a URI such as /health");
            return;
        }
        if (d.size() > 2) {
            d.error(2, "monitor-uri: unexpected '" + d.word(2) + "'", "usage: " + usage());
            return;
        }
        target.monitorUri = uri;
        target.monitorUriLine = d.number();
    }

    /** The http-request rule that answers {@code uri}; {@code line} is the monitor-uri line. */
    static HttpRule rule(String uri, int line) {
        List<String> words = List.of("{", "url", "-m", "str", uri, "}");
        Condition c = ConditionSyntax.parse(false, words, (i, m, h) -> {
            throw new IllegalStateException("monitor-uri condition: " + m);
        });
        return new HttpRule.Return(200, "text/html", ContentFormat.STRING, BODY,
                List.of(new HttpRule.Header("cache-control", new LogFormat("no-cache"))), c, line);
    }

    static List<String> write(String uri) {
        return List.of("monitor-uri", uri);
    }
}
