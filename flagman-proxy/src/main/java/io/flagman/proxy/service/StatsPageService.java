package io.flagman.proxy.service;

import io.flagman.config.auth.BasicCredentials;
import io.flagman.config.model.StatsPage;
import io.flagman.proxy.rule.RequestPredicate;
import io.flagman.proxy.rule.SampleSource;
import io.flagman.proxy.stats.HiddenServers;
import io.flagman.proxy.stats.StatCsv;
import io.flagman.proxy.stats.StatRow;
import io.flagman.proxy.stats.StatTyped;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The stats page of one proxy, compiled: {@code stats uri} (a prefix of the request URI), {@code stats auth}
 * checked first, the HTML page, {@code ;csv}, {@code ;json}, {@code ;typed}, {@code ;up}, {@code ;no-maint} and,
 * when {@code stats admin} allows it, the admin form's actions.
 * Immutable; shared by every event loop. Rendering reads counters and live state only.
 */
public final class StatsPageService {

    /** What a request to the page asks for. */
    public sealed interface Outcome permits Answer, Admin {}

    /** Answer now. */
    public record Answer(FullHttpResponse response) implements Outcome {}

    /** An admin POST that {@code stats admin} allows: apply it once its form (the body) is read. */
    public record Admin(StatsPageService page) implements Outcome {}

    /** The longest admin form read (HAProxy's is a few names); a longer body gets 413. */
    public static final int MAX_FORM = 16 * 1024;

    private final StatsPage page;
    private final RequestPredicate admin;

    public StatsPageService(StatsPage page, RequestPredicate admin) {
        this.page = page;
        this.admin = admin;
    }

    /** True when {@code uri} is the page's (its {@code stats uri} begins it). */
    public boolean serves(String uri) {
        return uri.startsWith(page.uri());
    }

    /**
     * The outcome of a request whose URI this page serves: 401 without the right credentials, the page or the CSV
     * for GET and HEAD, a 303 with {@code st=DENY} for a POST that {@code stats admin} does not allow.
     */
    public Outcome request(String method, String uri, String authorization, SampleSource s, StatsView stats) {
        if (!page.auths().isEmpty() && !authorized(authorization)) {
            FullHttpResponse r = Responses.text(401, "text/html", "<html><body><h1>401 Unauthorized</h1>\n"
                    + "You need a valid user and password to access this content.\n</body></html>\n");
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + page.realm() + "\"");
            return new Answer(r);
        }
        boolean adminAllowed = admin != null && admin.test(s);
        if (method.equals("POST")) {
            return adminAllowed ? new Admin(this) : new Answer(redirect(StatsAdmin.Result.DENY));
        }
        String rest = uri.substring(page.uri().length());
        Set<String> options = options(rest);
        List<StatRow> rows = stats.statistics();
        if (!page.scopes().isEmpty()) {
            rows = rows.stream().filter(r -> page.scopes().contains(r.proxy())).toList();
        }
        if (options.contains("up") || options.contains("no-maint")) {
            rows = HiddenServers.hide(rows, options.contains("up"));
        }
        FullHttpResponse r;
        if (options.contains("csv")) {
            r = Responses.text(200, "text/plain", StatCsv.render(rows));
        } else if (options.contains("json")) {
            r = Responses.text(200, "application/json", StatTyped.json(rows));
        } else if (options.contains("typed")) {
            r = Responses.text(200, "text/plain", StatTyped.typed(rows));
        } else {
            r = Responses.text(200, "text/html", StatsHtml.render(rows, stats.info(rows), page, adminAllowed,
                    status(rest)));
            if (page.refreshSeconds() > 0 && !options.contains("norefresh")) {
                r.headers().set("refresh", Integer.toString(page.refreshSeconds()));
            }
        }
        return new Answer(r);
    }

    /** Applies an allowed admin form and answers HAProxy's 303 to the page with the result. */
    public FullHttpResponse admin(String form, StatsView stats) {
        return redirect(StatsAdmin.apply(form, stats));
    }

    private FullHttpResponse redirect(StatsAdmin.Result result) {
        FullHttpResponse r = Responses.text(303, "text/plain", "");
        r.headers().set(HttpHeaderNames.LOCATION, page.uri() + ";st=" + result.name());
        return r;
    }

    private boolean authorized(String header) {
        if (header == null) {
            return false;
        }
        var creds = BasicCredentials.parse(header);
        if (creds.isEmpty()) {
            return false;
        }
        String said = creds.get().user() + ":" + creds.get().password();
        for (String a : page.auths()) {
            if (java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    said.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    /** The {@code ;}-separated options after the stats URI ({@code csv}, {@code up}, {@code st=DONE}, …). */
    private static Set<String> options(String rest) {
        Set<String> options = new HashSet<>();
        for (String o : rest.split(";")) {
            int query = o.indexOf('?');
            options.add(query < 0 ? o : o.substring(0, query));
        }
        return options;
    }

    /** The {@code ;st=} result shown after an admin action, or null. */
    private static StatsAdmin.Result status(String rest) {
        int at = rest.indexOf(";st=");
        if (at < 0) {
            return null;
        }
        String v = rest.substring(at + 4);
        int end = v.indexOf(';');
        v = end < 0 ? v : v.substring(0, end);
        for (StatsAdmin.Result r : StatsAdmin.Result.values()) {
            if (r.name().equals(v)) {
                return r;
            }
        }
        return null;
    }
}
