package io.flagman.config.parse;

import io.flagman.config.model.Acl;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Balance;
import io.flagman.config.model.Bind;
import io.flagman.config.model.Condition;
import io.flagman.config.model.ContentFormat;
import io.flagman.config.model.Defaults;
import io.flagman.config.model.ErrorFile;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.LogTarget;
import io.flagman.config.model.Match;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.model.Server;
import io.flagman.config.model.Timeout;
import io.flagman.config.model.Timeouts;
import io.flagman.config.model.UseBackend;
import io.flagman.config.model.UseServer;
import io.flagman.config.model.Userlist;
import io.flagman.config.text.Words;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes model values as directive words in one canonical style, for new lines added through the API (the
 * document quotes each word as needed). Each keyword is written by its keyword class, so there is one place per
 * keyword that both reads and writes it: for every value {@code x} this writes, parsing the words gives back
 * {@code x} (apart from line numbers).
 *
 * <p>Section settings are written from the values they hold, not from what a defaults section would supply:
 * the caller decides what belongs in the section.
 */
public final class DirectiveWriter {

    private DirectiveWriter() {}

    /** {@code ["server", name, "host:port", options…]} with only the options that differ from HAProxy's defaults. */
    public static List<String> server(Server s) {
        return ServerKeyword.write(s);
    }

    /** {@code ["default-server", options…]} for a template server (name, host and port are not written). */
    public static List<String> defaultServer(Server s) {
        return ServerKeyword.writeDefault(s);
    }

    /**
     * {@code ["server", name, address, options…]} with the options exactly as said (see {@link ServerSettings}):
     * an option set to HAProxy's default is written too, so that it wins over a {@code default-server}.
     */
    public static List<String> server(String name, String address, ServerSettings said) {
        return ServerKeyword.write(name, address, said);
    }

    /** {@code ["default-server", options…]} with the options exactly as said. */
    public static List<String> defaultServer(ServerSettings said) {
        return ServerKeyword.writeDefault(said);
    }

    /** A server's address word: {@code host}, {@code host:port} or {@code [v6]:port} (no port when {@code port <= 0}). */
    public static String serverAddress(String host, int port) {
        return ServerKeyword.address(host, port);
    }

    public static List<String> bind(Bind b) {
        return BindKeyword.write(b);
    }

    /** {@code ["bind", address, options…]} with the options exactly as said (see {@link BindSettings}). */
    public static List<String> bind(String address, BindSettings said) {
        return BindKeyword.write(address, said);
    }

    /** A bind's address word: {@code host} without a port, else {@code host:port} ({@code :port}), {@code -end} for a range. */
    public static String bindAddress(String host, Integer port, Integer portRangeEnd) {
        return BindKeyword.address(host, port, portRangeEnd);
    }

    /**
     * {@code balance <algorithm>…} as said (see {@link BalanceSettings}).
     *
     * @throws IllegalArgumentException when the algorithm is none HAProxy has
     */
    public static List<String> balance(BalanceSettings said) {
        return BalanceKeyword.write(said);
    }

    /**
     * {@code <keyword> <values…>} for a frontend, backend or defaults keyword Flagman knows (also one it ignores or
     * refuses by name) whose values are written as given: {@code mode}, {@code maxconn}, {@code default_backend},
     * {@code description}, {@code log-tag}…
     *
     * @throws IllegalArgumentException when Flagman knows no such keyword
     */
    public static List<String> proxySetting(String keyword, String... values) {
        return known(KeywordTables.PROXY.get(keyword), keyword).writeSaid(List.of(values));
    }

    /**
     * {@code <keyword> <values…>} for a global keyword Flagman knows whose values are written as given
     * ({@code maxconn}, {@code nbthread}, {@code user}…).
     *
     * @throws IllegalArgumentException when Flagman knows no such keyword
     */
    public static List<String> globalSetting(String keyword, String... values) {
        return known(KeywordTables.GLOBAL.get(keyword), keyword).writeSaid(List.of(values));
    }

    private static <K> K known(K keyword, String name) {
        if (keyword == null) {
            throw new IllegalArgumentException("no such keyword: " + name);
        }
        return keyword;
    }

    /** {@code stats socket <address> [level <level>] [mode <mode>]}, as said (null = not said). */
    public static List<String> statsSocket(String address, String level, String mode) {
        return StatsKeyword.writeSocket(address, level, mode);
    }

    /** {@code ["acl", name, criterion, value words…]}; the value is split at spaces, as the API gives it. */
    public static List<String> acl(Acl a) {
        return AclKeyword.write(a);
    }

    public static List<String> useBackend(UseBackend r) {
        return UseBackendKeyword.write(r);
    }

    public static List<String> useServer(UseServer r) {
        return UseServerKeyword.write(r);
    }

    /** @param keyword {@code "http-request"} or {@code "http-response"} */
    public static List<String> httpRule(String keyword, HttpRule r) {
        return HttpRuleKeyword.write(httpKeyword(keyword), r);
    }

    // ---- http-request / http-response actions as said: null = not said (not written, even for a default such as
    // deny_status 403); Words arguments are formats and expressions as the user wrote them; condition is
    // condition(unless, terms) or empty ----

    /** {@code <keyword> <action>} for an action without arguments ({@code allow}, {@code reject}, {@code silent-drop}…). */
    public static Words httpAction(String keyword, String action, Words condition) {
        return HttpRuleKeyword.action(httpKeyword(keyword), action, condition);
    }

    /** {@code <keyword> add-header|set-header <name> <format>}. */
    public static Words httpHeader(String keyword, String action, String name, Words format, Words condition) {
        return HttpRuleKeyword.header(httpKeyword(keyword), action, name, format, condition);
    }

    /** {@code <keyword> del-header <name> [-m <method>]}. */
    public static Words httpDelHeader(String keyword, String name, Match method, Words condition) {
        return HttpRuleKeyword.delHeader(httpKeyword(keyword), name, method, condition);
    }

    /** {@code <keyword> redirect location|prefix|scheme <value> [code <n>] [options…]}. */
    public static Words httpRedirect(String keyword, HttpRule.RedirectType type, Words value, Integer code,
            Words options, Words condition) {
        return HttpRuleKeyword.redirect(httpKeyword(keyword), type, value, code, options, condition);
    }

    /**
     * {@code <keyword> return|deny|tarpit [status|deny_status <n>] [content-type <t>] [<format> <content>]
     * [hdr <name> <format>]…}.
     */
    public static Words httpRespond(String keyword, String action, Integer status, String contentType,
            ContentFormat format, String content, List<HttpRule.Header> headers, Words condition) {
        return HttpRuleKeyword.respond(httpKeyword(keyword), action, status, contentType, format, content, headers,
                condition);
    }

    /** {@code http-request auth [realm <realm>]}. */
    public static Words httpAuth(String keyword, String realm, Words condition) {
        return HttpRuleKeyword.auth(httpKeyword(keyword), realm, condition);
    }

    /** {@code <keyword> use-service <service>}. */
    public static Words httpUseService(String keyword, String service, Words condition) {
        return HttpRuleKeyword.useService(httpKeyword(keyword), service, condition);
    }

    /** {@code <keyword> set-status <status> [reason <reason>]}. */
    public static Words httpSetStatus(String keyword, int status, String reason, Words condition) {
        return HttpRuleKeyword.setStatus(httpKeyword(keyword), status, reason, condition);
    }

    /** {@code <keyword> set-path|set-pathq|set-query|set-uri <format>}. */
    public static Words httpSetFormat(String keyword, String action, Words format, Words condition) {
        return HttpRuleKeyword.setFormat(httpKeyword(keyword), action, format, condition);
    }

    /** {@code <keyword> set-var|set-var-fmt(<scope>.<name>) <value>}. */
    public static Words httpSetVar(String keyword, String action, String scope, String name, Words value,
            Words condition) {
        return HttpRuleKeyword.setVar(httpKeyword(keyword), action, scope, name, value, condition);
    }

    private static String httpKeyword(String keyword) {
        if (!keyword.equals("http-request") && !keyword.equals("http-response")) {
            throw new IllegalArgumentException("keyword: " + keyword + " (expected: http-request or http-response)");
        }
        return keyword;
    }

    /** {@code ["if"|"unless", words…]}. */
    public static List<String> condition(Condition c) {
        return ConditionSyntax.write(c);
    }

    // ---- as the user wrote it: raw condition and value text keeps its spelling (quotes, "${VAR}") ----
    //
    // The Data Plane API gives conditions ("cond_test") and ACL values as text in the file's own syntax and
    // reads them back as written; these overloads take that text and return Words whose raw parts are written
    // exactly as given. The keyword classes spell the lines in both cases.

    /**
     * {@code acl <name> <criterion> <value…>} with {@code value} as written ({@code -i "a b" c}).
     *
     * @throws IllegalArgumentException when {@code value} is not a run of words (unterminated quote, a '#')
     */
    public static Words acl(String name, String criterion, String value) {
        return AclKeyword.write(name, criterion, Words.of().plusRaw(value));
    }

    /**
     * {@code if|unless <terms>} with the terms as written; empty words when {@code terms} is null or blank.
     *
     * @throws IllegalArgumentException when {@code terms} is not a run of words
     */
    public static Words condition(boolean unless, String terms) {
        return terms == null || terms.isBlank() ? Words.of() : ConditionSyntax.write(unless, Words.of().plusRaw(terms));
    }

    /** {@code use_backend <backend> [if|unless <terms>]}, the terms as written (see {@link #condition(boolean, String)}). */
    public static Words useBackend(String backend, boolean unless, String terms) {
        return UseBackendKeyword.write(backend, condition(unless, terms));
    }

    /** {@code use-server <server> [if|unless <terms>]}, the terms as written. */
    public static Words useServer(String server, boolean unless, String terms) {
        return UseServerKeyword.write(server, condition(unless, terms));
    }

    public static List<String> user(Userlist.User u) {
        return UserKeyword.write(u);
    }

    public static List<String> group(Userlist.Group g) {
        return GroupKeyword.write(g);
    }

    public static List<String> logTarget(LogTarget t) {
        return LogKeyword.write(t);
    }

    /**
     * {@code option <name>}, or {@code no option <name>} when not enabled, for a flag option HAProxy has (also one
     * Flagman does not implement yet: the parser refuses it by name).
     *
     * @throws IllegalArgumentException when {@code name} is no option HAProxy has
     */
    public static List<String> option(String name, boolean enabled) {
        return OptionKeyword.write(name, enabled);
    }

    /** {@code option httplog [clf]}. */
    public static List<String> httplog(boolean clf) {
        return OptionKeyword.writeHttplog(clf);
    }

    /** {@code option forwardfor [except <network>] [header <name>] [if-none]}, as said (null = not said). */
    public static List<String> forwardFor(String except, String header, boolean ifNone) {
        return OptionKeyword.writeForwardFor(except, header, ifNone);
    }

    /** {@code option redispatch [<interval>]}, or {@code no option redispatch} when not enabled. */
    public static List<String> redispatch(boolean enabled, Long interval) {
        return OptionKeyword.writeRedispatch(enabled, interval);
    }

    /**
     * {@code option <check> [<method>] [<uri>] [<version>…]} for a health-check option ({@code httpchk},
     * {@code tcp-check}…), the version as written.
     *
     * @throws IllegalArgumentException when {@code check} is no option HAProxy has
     */
    public static Words healthCheck(String check, String method, String uri, Words version) {
        return OptionKeyword.writeCheck(check, method, uri, version);
    }

    /** A timeout line with the duration in the largest exact unit (20000 ms → 20s, 1500 ms → 1500ms). */
    public static List<String> timeout(Timeout kind, Duration value) {
        return TimeoutKeyword.write(kind, value);
    }

    /** The canonical text of a duration: the largest exact unit among d, h, m, s, else ms. */
    public static String duration(Duration value) {
        return Values.formatDuration(value);
    }

    /** The settings lines of a backend section: everything but servers, ACLs and rules. */
    public static List<List<String>> backendSettings(Backend b) {
        List<List<String>> out = new ArrayList<>();
        out.add(ModeKeyword.write(b.mode()));
        if (!b.balance().equals(Balance.ROUND_ROBIN)) {
            out.add(BalanceKeyword.write(b.balance()));
        }
        options(out, b.options());
        if (b.forwardFor() != null) {
            out.add(OptionKeyword.write(b.forwardFor()));
        }
        if (b.httpCheck() != null) {
            out.add(OptionKeyword.write(b.httpCheck()));
        }
        timeouts(out, b.timeouts());
        if (b.retries() != Backend.DEFAULT_RETRIES) {
            out.add(LimitKeyword.write("retries", b.retries()));
        }
        common(out, b.logs(), b.errorFiles(), b.disabled());
        return out;
    }

    /** The settings lines of a frontend section: everything but binds, ACLs and rules. */
    public static List<List<String>> frontendSettings(Frontend f) {
        List<List<String>> out = new ArrayList<>();
        out.add(ModeKeyword.write(f.mode()));
        if (f.maxconn() != 0) {
            out.add(LimitKeyword.write("maxconn", f.maxconn()));
        }
        if (f.backlog() != 0) {
            out.add(LimitKeyword.write("backlog", f.backlog()));
        }
        options(out, f.options());
        if (f.forwardFor() != null) {
            out.add(OptionKeyword.write(f.forwardFor()));
        }
        timeouts(out, f.timeouts());
        if (f.defaultBackend() != null && !f.listen()) {
            out.add(DefaultBackendKeyword.write(f.defaultBackend()));
        }
        common(out, f.logs(), f.errorFiles(), f.disabled());
        return out;
    }

    /** The lines of a defaults section. */
    public static List<List<String>> defaultsSettings(Defaults d) {
        List<List<String>> out = new ArrayList<>();
        if (d.mode() != null) {
            out.add(ModeKeyword.write(d.mode()));
        }
        if (d.balance() != null) {
            out.add(BalanceKeyword.write(d.balance()));
        }
        options(out, d.options());
        for (ProxyOption o : ProxyOption.values()) {
            if (d.disabledOptions().contains(o)) {
                out.add(OptionKeyword.writeDisabled(o));
            }
        }
        if (d.forwardFor() != null) {
            out.add(OptionKeyword.write(d.forwardFor()));
        }
        if (d.httpCheck() != null) {
            out.add(OptionKeyword.write(d.httpCheck()));
        }
        timeouts(out, d.timeouts());
        if (d.retries() >= 0) {
            out.add(LimitKeyword.write("retries", d.retries()));
        }
        if (d.maxconn() != 0) {
            out.add(LimitKeyword.write("maxconn", d.maxconn()));
        }
        common(out, d.logs(), d.errorFiles(), false);
        if (d.defaultServer() != null) {
            out.add(ServerKeyword.writeDefault(d.defaultServer()));
        }
        return out;
    }

    private static void options(List<List<String>> out, Set<ProxyOption> options) {
        for (ProxyOption o : ProxyOption.values()) {
            if (options.contains(o)) {
                out.add(OptionKeyword.write(o));
            }
        }
    }

    private static void timeouts(List<List<String>> out, Timeouts timeouts) {
        for (Timeout t : Timeout.values()) {
            Duration v = timeouts.get(t);
            if (v != null) {
                out.add(TimeoutKeyword.write(t, v));
            }
        }
    }

    private static void common(List<List<String>> out, List<LogTarget> logs, List<ErrorFile> errorFiles,
            boolean disabled) {
        for (LogTarget t : logs) {
            out.add(LogKeyword.write(t));
        }
        for (ErrorFile e : errorFiles) {
            out.add(ErrorFileKeyword.write(e));
        }
        if (disabled) {
            out.add(DisabledKeyword.write());
        }
    }
}
