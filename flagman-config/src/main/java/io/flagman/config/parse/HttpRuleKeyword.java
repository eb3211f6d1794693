package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.Condition;
import io.flagman.config.model.ContentFormat;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.LogFormat;
import io.flagman.config.model.Match;
import io.flagman.config.text.Words;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code http-request <action> …} and {@code http-response <action> …}. */
final class HttpRuleKeyword implements Keyword<ProxyBuilder> {

    static final HttpRuleKeyword REQUEST = new HttpRuleKeyword(true);
    static final HttpRuleKeyword RESPONSE = new HttpRuleKeyword(false);

    static final List<String> REQUEST_ACTIONS = List.of("set-header", "add-header", "del-header", "redirect",
            "return", "deny", "allow", "auth", "use-service");
    static final List<String> RESPONSE_ACTIONS = List.of("set-header", "add-header", "del-header", "redirect",
            "return", "deny", "allow");

    /** Actions HAProxy has and Flagman does not implement yet (errors, never ignored). */
    static final List<String> NOT_SUPPORTED = List.of("add-acl", "cache-use", "cache-store", "capture", "del-acl",
            "del-map", "disable-l7-retry", "do-resolve", "early-hint", "lua", "normalize-uri", "reject",
            "replace-header", "replace-path", "replace-pathq", "replace-uri", "replace-value", "sc-add-gpc",
            "sc-inc-gpc", "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt", "sc-set-gpt0", "send-spoe-group",
            "set-dst", "set-dst-port", "set-log-level", "set-map", "set-mark", "set-method", "set-nice",
            "set-path", "set-pathq", "set-priority-class", "set-priority-offset", "set-query", "set-src",
            "set-src-port", "set-status", "set-timeout", "set-tos", "set-uri", "set-var", "set-var-fmt",
            "silent-drop", "strict-mode", "tarpit", "track-sc0", "track-sc1", "track-sc2", "unset-var",
            "wait-for-body", "wait-for-handshake", "set-bandwidth-limit", "set-retries", "do-log",
            "pause");

    /** HAProxy 2.6's redirect options ({@code keep-query} came later: 2.6 refuses it, and so does Flagman). */
    private static final List<String> REDIRECT_OPTIONS = List.of("drop-query", "append-slash", "set-cookie",
            "clear-cookie", "ignore-empty");

    private final boolean request;

    private HttpRuleKeyword(boolean request) {
        this.request = request;
    }

    @Override
    public String name() {
        return request ? "http-request" : "http-response";
    }

    @Override
    public String usage() {
        return name() + " " + String.join("|", actions()) + " <arguments> [if|unless <condition>]";
    }

    @Override
    public String summary() {
        return request ? "a rule run on each request, in order" : "a rule run on each response, in order";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.FRONTEND, Scope.BACKEND);
    }

    List<String> actions() {
        return request ? REQUEST_ACTIONS : RESPONSE_ACTIONS;
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String action = d.word(1);
        if (action == null) {
            d.missing(1, "an action");
            return;
        }
        int condAt = ConditionSyntax.find(d, 2);
        int end = condAt < 0 ? d.size() : condAt;
        Condition condition = null;
        if (condAt >= 0) {
            condition = ConditionSyntax.parse(d, condAt);
            if (condition == null) {
                return;
            }
        }
        HttpRule rule = action(d, action, end, condition);
        if (rule != null) {
            if (request && !target.redirectRules.isEmpty()) {
                d.warning(0, "a 'http-request' rule placed after a 'redirect' rule will still be processed before",
                        "move it above the redirect rules");
            }
            (request ? target.httpRequestRules : target.httpResponseRules).add(rule);
        }
    }

    private HttpRule action(Directive d, String action, int end, Condition c) {
        if (!actions().contains(action)) {
            // set-var(txn.x), sc-inc-gpc0(0), lua.name: the action is the word before its arguments
            int paren = action.indexOf('(');
            String base = paren > 0 ? action.substring(0, paren) : action.startsWith("lua.") ? "lua" : action;
            if (NOT_SUPPORTED.contains(base) || base.startsWith("track-sc") || base.startsWith("sc-")) {
                d.error(1, "'" + name() + " " + base + "' is not supported yet",
                        "supported actions: " + String.join(", ", actions()));
            } else if (action.equals("auth") || action.equals("use-service")) {
                d.error(1, "'" + action + "' is not allowed in http-response", "use 'http-request " + action + "'");
            } else {
                String hint = Suggest.didYouMean(action, actions());
                d.error(1, "unknown " + name() + " action '" + action + "'",
                        hint != null ? hint : "expected one of: " + String.join(", ", actions()));
            }
            return null;
        }
        int line = d.number();
        return switch (action) {
            case "set-header", "add-header" -> {
                if (!arity(d, end, 4, action + " <name> <format>")) {
                    yield null;
                }
                LogFormat v = new LogFormat(d.word(3));
                yield action.equals("set-header") ? new HttpRule.SetHeader(d.word(2), v, c, line)
                        : new HttpRule.AddHeader(d.word(2), v, c, line);
            }
            case "del-header" -> delHeader(d, end, c);
            case "redirect" -> redirect(d, end, c);
            case "return" -> returnRule(d, end, c);
            case "deny" -> deny(d, end, c);
            case "allow" -> arity(d, end, 2, "allow") ? new HttpRule.Allow(c, line) : null;
            case "auth" -> auth(d, end, c);
            case "use-service" -> useService(d, end, c);
            default -> throw new IllegalStateException(action);
        };
    }

    private boolean arity(Directive d, int end, int expected, String usage) {
        if (end < expected) {
            d.error(end, "'" + name() + " " + d.word(1) + "': missing argument",
                    "usage: " + name() + " " + usage + " [if|unless <condition>]");
            return false;
        }
        if (end > expected) {
            d.error(expected, "'" + name() + " " + d.word(1) + "': unexpected '" + d.word(expected) + "'",
                    "usage: " + name() + " " + usage + " [if|unless <condition>]");
            return false;
        }
        return true;
    }

    private HttpRule delHeader(Directive d, int end, Condition c) {
        if (end != 3 && end != 5) {
            arity(d, end, end < 3 ? 3 : 5, "del-header <name> [-m str|beg|end|sub|reg]");
            return null;
        }
        Match method = null;
        if (end == 5) {
            if (!d.word(3).equals("-m")) {
                d.error(3, "del-header: unexpected '" + d.word(3) + "'", "expected '-m <method>'");
                return null;
            }
            method = Match.fromKeyword(d.word(4));
            if (method == null || !EnumSet.of(Match.STR, Match.BEG, Match.END, Match.SUB, Match.REG).contains(method)) {
                d.error(4, "del-header: invalid match method '" + d.word(4) + "'", "expected str, beg, end, sub or reg");
                return null;
            }
        }
        return new HttpRule.DelHeader(d.word(2), method, c, d.number());
    }

    private HttpRule redirect(Directive d, int end, Condition c) {
        return redirect(d, 2, end, c, name() + " redirect");
    }

    /**
     * {@code location|prefix|scheme <value>}, {@code code <n>} and the options, in any order as HAProxy reads them
     * (the last type given wins), from word {@code from} up to {@code end}; null after reporting. Shared by
     * {@code http-request redirect} and the {@code redirect} keyword.
     */
    static HttpRule.Redirect redirect(Directive d, int from, int end, Condition c, String what) {
        String usage = "usage: " + what + " location|prefix|scheme <value> [code 301|302|303|307|308]"
                + " [drop-query] [append-slash] [ignore-empty] [set-cookie <name>[=<value>]] [clear-cookie <name>]";
        HttpRule.RedirectType type = null;
        String value = null;
        int code = 302;
        List<String> options = new ArrayList<>();
        for (int i = from; i < end; i++) {
            String w = d.word(i);
            HttpRule.RedirectType t = switch (w) {
                case "location" -> HttpRule.RedirectType.LOCATION;
                case "prefix" -> HttpRule.RedirectType.PREFIX;
                case "scheme" -> HttpRule.RedirectType.SCHEME;
                default -> null;
            };
            if (t != null) {
                if (i + 1 >= end) {
                    d.error(i, "redirect: missing " + w + " value", usage);
                    return null;
                }
                type = t;
                value = d.word(++i);
            } else if (w.equals("code")) {
                if (i + 1 >= end) {
                    d.error(i, "redirect: missing code value", usage);
                    return null;
                }
                Integer v = Values.integer(d, ++i, 301, 308, "redirect code");
                if (v == null) {
                    return null;
                }
                if (v == 304 || v == 305 || v == 306) {
                    d.error(i, "redirect: invalid code " + v, "expected 301, 302, 303, 307 or 308");
                    return null;
                }
                code = v;
            } else if (REDIRECT_OPTIONS.contains(w)) {
                options.add(w);
                if (w.equals("set-cookie") || w.equals("clear-cookie")) {
                    if (i + 1 >= end) {
                        d.error(i, "redirect: missing cookie after '" + w + "'", usage);
                        return null;
                    }
                    options.add(d.word(++i));
                }
            } else {
                String hint = Suggest.didYouMean(w, REDIRECT_OPTIONS);
                d.error(i, "redirect: unknown option '" + w + "'", hint != null ? hint
                        : "expected location, prefix, scheme, code or one of: " + String.join(", ", REDIRECT_OPTIONS));
                return null;
            }
        }
        if (type == null) {
            d.error(from > end ? end : from, "redirect: expected location, prefix or scheme", usage);
            return null;
        }
        return new HttpRule.Redirect(type, new LogFormat(value), code, options, c, d.number());
    }

    private HttpRule returnRule(Directive d, int end, Condition c) {
        int status = 200;
        String contentType = null;
        ContentFormat format = null;
        String content = null;
        List<HttpRule.Header> headers = new ArrayList<>();
        for (int i = 2; i < end; i++) {
            String w = d.word(i);
            ContentFormat f = ContentFormat.fromKeyword(w);
            if (w.equals("status")) {
                Integer v = Values.integer(d, ++i, 200, 599, "status code");
                if (v == null) {
                    return null;
                }
                status = v;
            } else if (w.equals("content-type")) {
                contentType = d.word(++i);
                if (i >= end) {
                    d.missing(i, "a content type");
                    return null;
                }
            } else if (w.equals("hdr")) {
                if (i + 2 >= end) {
                    d.missing(i + 1, "a header name and value");
                    return null;
                }
                headers.add(new HttpRule.Header(d.word(i + 1), new LogFormat(d.word(i + 2))));
                i += 2;
            } else if (f != null) {
                format = f;
                if (f != ContentFormat.DEFAULT_ERRORFILES) {
                    if (i + 1 >= end) {
                        d.missing(i + 1, "the " + w + " argument");
                        return null;
                    }
                    content = d.word(++i);
                }
            } else {
                d.error(i, "return: unexpected '" + w + "'", "usage: " + name() + " return [status <code>]"
                        + " [content-type <type>] [string|lf-string|file|lf-file|errorfile|errorfiles <arg>]"
                        + " [hdr <name> <format>]…");
                return null;
            }
        }
        if (format != null && format != ContentFormat.DEFAULT_ERRORFILES && format != ContentFormat.ERRORFILE
                && format != ContentFormat.ERRORFILES && contentType == null) {
            d.error(1, "return: '" + format.keyword() + "' needs a content-type", "add 'content-type text/plain'");
            return null;
        }
        return new HttpRule.Return(status, contentType, format, content, headers, c, d.number());
    }

    private HttpRule deny(Directive d, int end, Condition c) {
        int status = 403;
        for (int i = 2; i < end; i++) {
            String w = d.word(i);
            if (w.equals("deny_status")) {
                Integer v = Values.integer(d, ++i, 200, 599, "deny status");
                if (v == null) {
                    return null;
                }
                status = v;
            } else {
                d.error(i, "deny: '" + w + "' is not supported yet",
                        "Flagman's deny takes only 'deny_status <code>'; use 'return' for a custom response");
                return null;
            }
        }
        return new HttpRule.Deny(status, c, d.number());
    }

    private HttpRule auth(Directive d, int end, Condition c) {
        String realm = null;
        if (end == 4 && d.word(2).equals("realm")) {
            realm = d.word(3);
        } else if (end != 2) {
            d.error(2, "auth: unexpected '" + d.word(2) + "'", "usage: http-request auth [realm <realm>]");
            return null;
        }
        return new HttpRule.Auth(realm, c, d.number());
    }

    /** The services {@code use-service} can name. */
    static final List<String> SERVICES = List.of(HttpRule.PROMETHEUS_EXPORTER);

    private HttpRule useService(Directive d, int end, Condition c) {
        if (!arity(d, end, 3, "use-service <service>")) {
            return null;
        }
        String service = d.word(2);
        if (!SERVICES.contains(service)) {
            String hint = Suggest.didYouMean(service, SERVICES);
            d.error(2, "use-service: unknown service '" + service + "'",
                    hint != null ? hint : "Flagman's only service is " + HttpRule.PROMETHEUS_EXPORTER);
            return null;
        }
        return new HttpRule.UseService(service, c, d.number());
    }

    /** The words of one rule, starting with {@code keyword} ("http-request" or "http-response"). */
    static List<String> write(String keyword, HttpRule rule) {
        Words c = rule.condition() == null ? Words.of() : Words.of(ConditionSyntax.write(rule.condition()));
        Words w = switch (rule) {
            case HttpRule.SetHeader r -> header(keyword, "set-header", r.name(), Words.of(r.value().text()), c);
            case HttpRule.AddHeader r -> header(keyword, "add-header", r.name(), Words.of(r.value().text()), c);
            case HttpRule.DelHeader r -> delHeader(keyword, r.name(), r.method(), c);
            case HttpRule.Redirect r -> redirect(keyword, r.type(), Words.of(r.value().text()),
                    r.code() != 302 ? r.code() : null, Words.of(r.options()), c);
            case HttpRule.Return r -> respond(keyword, "return", r.status() != 200 ? r.status() : null,
                    r.contentType(), r.format(), r.content(), r.headers(), c);
            case HttpRule.Deny r -> respond(keyword, "deny", r.status() != 403 ? r.status() : null, null, null, null,
                    List.of(), c);
            case HttpRule.Allow r -> action(keyword, "allow", c);
            case HttpRule.Auth r -> auth(keyword, r.realm(), c);
            case HttpRule.UseService r -> useService(keyword, r.service(), c);
        };
        return w.values();
    }

    // ---- the one place that spells each action; values as said (null = not said, so not written) ----

    /** An action without arguments: {@code allow}, {@code reject}, {@code silent-drop}… */
    static Words action(String keyword, String action, Words condition) {
        return Words.of(keyword, action).plus(condition);
    }

    /** {@code add-header|set-header <name> <format>}. */
    static Words header(String keyword, String action, String name, Words format, Words condition) {
        return Words.of(keyword, action, name).plus(format).plus(condition);
    }

    /** {@code del-header <name> [-m <method>]}. */
    static Words delHeader(String keyword, String name, Match method, Words condition) {
        Words w = Words.of(keyword, "del-header", name);
        return (method == null ? w : w.plus("-m", method.keyword())).plus(condition);
    }

    /** {@code redirect location|prefix|scheme <value> [code <n>] [options…]}. */
    static Words redirect(String keyword, HttpRule.RedirectType type, Words value, Integer code, Words options,
            Words condition) {
        Words w = Words.of(keyword, "redirect", type.name().toLowerCase(Locale.ROOT)).plus(value);
        if (code != null) {
            w = w.plus("code", code.toString());
        }
        return w.plus(options).plus(condition);
    }

    /**
     * {@code return|deny|tarpit [status|deny_status <n>] [content-type <type>] [<format> <content>]
     * [hdr <name> <format>]…}: {@code return} says {@code status}, the others {@code deny_status}.
     */
    static Words respond(String keyword, String action, Integer status, String contentType, ContentFormat format,
            String content, List<HttpRule.Header> headers, Words condition) {
        List<String> w = new ArrayList<>(List.of(keyword, action));
        Values.option(w, action.equals("return") ? "status" : "deny_status", status);
        Values.option(w, "content-type", contentType);
        if (format != null) {
            w.add(format.keyword());
            if (format != ContentFormat.DEFAULT_ERRORFILES) {
                w.add(content);
            }
        }
        for (HttpRule.Header h : headers) {
            w.addAll(List.of("hdr", h.name(), h.value().text()));
        }
        return Words.of(w).plus(condition);
    }

    /** {@code auth [realm <realm>]}. */
    static Words auth(String keyword, String realm, Words condition) {
        return Words.of(keyword, "auth").plus(realm == null ? Words.of() : Words.of("realm", realm)).plus(condition);
    }

    /** {@code use-service <service>}. */
    static Words useService(String keyword, String service, Words condition) {
        return Words.of(keyword, "use-service", service).plus(condition);
    }

    /** {@code set-status <status> [reason <reason>]}. */
    static Words setStatus(String keyword, int status, String reason, Words condition) {
        Words w = Words.of(keyword, "set-status", Integer.toString(status));
        return (reason == null ? w : w.plus("reason", reason)).plus(condition);
    }

    /** {@code set-path|set-pathq|set-query|set-uri <format>}. */
    static Words setFormat(String keyword, String action, Words format, Words condition) {
        return Words.of(keyword, action).plus(format).plus(condition);
    }

    /** {@code set-var|set-var-fmt(<scope>.<name>) <expression or format>}. */
    static Words setVar(String keyword, String action, String scope, String name, Words value, Words condition) {
        return Words.of(keyword, action + "(" + scope + "." + name + ")").plus(value).plus(condition);
    }
}
