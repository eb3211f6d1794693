package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.Cidr;
import io.flagman.config.model.ForwardFor;
import io.flagman.config.model.HttpCheck;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.text.Words;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code [no] option <name> [arguments]}: the boolean {@link ProxyOption}s, {@code forwardfor} and
 * {@code httpchk}. {@code no option x} is parsed by this class too (the table routes {@code no} here).
 */
final class OptionKeyword implements Keyword<ProxyBuilder> {

    static final OptionKeyword INSTANCE = new OptionKeyword();

    /** Options HAProxy has that change traffic and Flagman does not implement. */
    static final List<String> NOT_SUPPORTED = List.of("ssl-hello-chk", "mysql-check", "pgsql-check",
            "redis-check", "smtpchk", "ldap-check", "spop-check", "external-check", "httpslog", "clf", "originalto",
            "forwarded", "allbackups", "persist", "prefer-last-server", "http-pretend-keepalive", "http-no-delay",
            "http-use-proxy-header", "http-ignore-probes", "http-restrict-req-hdr-names", "accept-invalid-http-request",
            "accept-invalid-http-response", "h1-case-adjust-bogus-client", "h1-case-adjust-bogus-server",
            "checkcache", "independent-streams", "nolinger", "transparent", "logasap",
            "disable-h2-upgrade", "idle-close-on-response", "splice-request", "splice-response", "http_proxy",
            "http-use-htx", "contstats", "log-health-check");

    /**
     * {@code tcp-smart-accept} / {@code tcp-smart-connect}: kernel hints that only save a packet (HAProxy defers
     * the accept or the connect until data is there); what the client and the server receive is the same.
     */
    static final String HINTS_NOTE = "a TCP performance hint: the bytes exchanged are the same without it;"
            + " accepted and ignored";

    /** Where each option belongs; HAProxy ignores an option on the wrong side with a warning, as does Flagman. */
    private static final Set<ProxyOption> FRONTEND_ONLY = EnumSet.of(ProxyOption.HTTPLOG, ProxyOption.TCPLOG,
            ProxyOption.DONTLOGNULL, ProxyOption.CLITCPKA, ProxyOption.DONTLOG_NORMAL,
            ProxyOption.LOG_SEPARATE_ERRORS, ProxyOption.HTTP_BUFFER_REQUEST, ProxyOption.SOCKET_STATS);
    private static final Set<ProxyOption> BACKEND_ONLY = EnumSet.of(ProxyOption.REDISPATCH, ProxyOption.SRVTCPKA,
            ProxyOption.LOG_HEALTH_CHECKS, ProxyOption.ABORTONCLOSE);

    static List<String> names() {
        List<String> all = new ArrayList<>(Arrays.stream(ProxyOption.values()).map(ProxyOption::keyword).toList());
        all.add("forwardfor");
        all.add("httpchk");
        return all;
    }

    @Override
    public String name() {
        return "option";
    }

    @Override
    public String usage() {
        return "[no] option " + String.join("|", names()) + " [<arguments>]";
    }

    @Override
    public String summary() {
        return "turn a proxy option on (or off with 'no option'); forwardfor [except <net>] [header <name>]"
                + " [if-none]; httpchk [<method>] [<uri>] [<version>]";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.DEFAULTS, Scope.FRONTEND, Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        boolean no = d.keyword().equals("no");
        Directive o = no ? d.shift(1) : d;
        if (no && !"option".equals(o.keyword())) {
            d.error(1, "'no' must be followed by 'option'" + (o.keyword() == null ? "" : ", found '" + o.keyword() + "'"),
                    "usage: no option <name>");
            return;
        }
        String name = o.word(1);
        if (name == null) {
            o.missing(1, "an option name");
            return;
        }
        switch (name) {
            case "forwardfor" -> {
                if (no) {
                    target.forwardFor = ProxyBuilder.FORWARDFOR_OFF;
                } else {
                    ForwardFor f = forwardFor(o);
                    if (f != null) {
                        target.forwardFor = f;
                    }
                }
                return;
            }
            case "httpchk" -> {
                if (no) {
                    target.httpCheck = ProxyBuilder.HTTPCHK_OFF;
                } else {
                    HttpCheck h = httpCheck(o);
                    if (h != null) {
                        target.httpCheck = h;
                    }
                }
                return;
            }
            case "tcp-check" -> {
                // HAProxy: the checks follow the tcp-check rules; with none, a plain connect (Flagman's layer-4
                // check). 'tcp-check' lines themselves are errors, so this is never a silently shorter check.
                if (o.size() > 2) {
                    o.error(2, "'option tcp-check' takes no argument, found '" + o.word(2) + "'",
                            "usage: option tcp-check");
                } else if (no) {
                    o.error(1, "'no option tcp-check' is not supported", "remove it, or use 'option httpchk'");
                } else {
                    target.httpCheck = ProxyBuilder.HTTPCHK_OFF;
                }
                return;
            }
            case "tcp-smart-accept", "tcp-smart-connect" -> {
                if (o.size() > 2) {
                    o.error(2, "'option " + name + "' takes no argument, found '" + o.word(2) + "'",
                            "usage: option " + name);
                } else {
                    o.warning(1, "'option " + name + "' has no effect in Flagman", HINTS_NOTE);
                }
                return;
            }
            default -> { }
        }
        ProxyOption option = ProxyOption.fromKeyword(name);
        if (option == null) {
            if (NOT_SUPPORTED.contains(name)) {
                o.error(1, "'option " + name + "' is not supported yet", "remove it; Flagman would not honour it");
            } else {
                String hint = Suggest.didYouMean(name, names());
                o.error(1, "unknown option '" + name + "'",
                        hint != null ? hint : "expected one of: " + String.join(", ", names()));
            }
            return;
        }
        if (o.size() > 2) {
            o.error(2, "'option " + name + "' takes no argument, found '" + o.word(2) + "'", "usage: option " + name);
            return;
        }
        if (!target.listen && target.scope == Scope.BACKEND && FRONTEND_ONLY.contains(option)) {
            o.warning(1, "'option " + name + "' has no effect in a backend", "move it to the frontend or defaults");
        } else if (!target.listen && target.scope == Scope.FRONTEND && BACKEND_ONLY.contains(option)) {
            o.warning(1, "'option " + name + "' has no effect in a frontend", "move it to the backend or defaults");
        }
        if (no) {
            target.options.remove(option);
            target.disabledOptions.add(option);
        } else {
            target.disabledOptions.remove(option);
            target.options.add(option);
            // HAProxy's HTTP connection modes exclude each other: the last one wins.
            Set<ProxyOption> modes = EnumSet.of(ProxyOption.HTTP_SERVER_CLOSE, ProxyOption.HTTPCLOSE,
                    ProxyOption.HTTP_KEEP_ALIVE);
            if (modes.contains(option)) {
                modes.remove(option);
                target.options.removeAll(modes);
            }
            if (option == ProxyOption.HTTPLOG) {
                target.options.remove(ProxyOption.TCPLOG);
            } else if (option == ProxyOption.TCPLOG) {
                target.options.remove(ProxyOption.HTTPLOG);
            }
        }
    }

    private static ForwardFor forwardFor(Directive d) {
        Cidr except = null;
        String header = ForwardFor.DEFAULT_HEADER;
        boolean ifNone = false;
        for (int i = 2; i < d.size(); i++) {
            String w = d.word(i);
            switch (w) {
                case "except" -> {
                    String net = d.word(++i);
                    if (net == null) {
                        d.missing(i, "a network");
                        return null;
                    }
                    except = Values.cidr(net);
                    if (except == null) {
                        d.error(i, "option forwardfor: invalid network '" + net + "'",
                                "expected an address or CIDR such as 127.0.0.0/8");
                        return null;
                    }
                }
                case "header" -> {
                    header = d.word(++i);
                    if (header == null) {
                        d.missing(i, "a header name");
                        return null;
                    }
                }
                case "if-none" -> ifNone = true;
                default -> {
                    d.error(i, "option forwardfor: unexpected '" + w + "'",
                            "usage: option forwardfor [except <network>] [header <name>] [if-none]");
                    return null;
                }
            }
        }
        return new ForwardFor(except, header, ifNone);
    }

    private static final List<String> METHODS = List.of("OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE",
            "PATCH", "CONNECT");

    private static HttpCheck httpCheck(Directive d) {
        List<String> args = d.words(2);
        return switch (args.size()) {
            case 0 -> HttpCheck.DEFAULT;
            case 1 -> new HttpCheck(HttpCheck.DEFAULT.method(), args.get(0), HttpCheck.DEFAULT.version());
            case 2, 3 -> {
                if (!METHODS.contains(args.get(0))) {
                    d.error(2, "option httpchk: unknown method '" + args.get(0) + "'",
                            "expected one of: " + String.join(" ", METHODS));
                    yield null;
                }
                yield new HttpCheck(args.get(0), args.get(1), args.size() == 3 ? args.get(2)
                        : HttpCheck.DEFAULT.version());
            }
            default -> {
                d.error(5, "option httpchk: unexpected '" + args.get(3) + "'",
                        "usage: option httpchk [<method>] [<uri>] [<version>]");
                yield null;
            }
        };
    }

    static List<String> write(ProxyOption option) {
        return write(option.keyword(), true);
    }

    static List<String> writeDisabled(ProxyOption option) {
        return write(option.keyword(), false);
    }

    /**
     * {@code option <name>} or {@code no option <name>} for a flag option as said, including those HAProxy has and
     * Flagman does not implement yet (the parser then refuses them by name).
     *
     * @throws IllegalArgumentException when {@code name} is no option HAProxy has
     */
    static List<String> write(String name, boolean enabled) {
        if (!names().contains(name) && !NOT_SUPPORTED.contains(name)) {
            throw new IllegalArgumentException("option: " + name + " (not an option name)");
        }
        return enabled ? List.of("option", name) : List.of("no", "option", name);
    }

    static List<String> write(ForwardFor f) {
        return writeForwardFor(f.except() == null ? null : f.except().toString(),
                f.header().equals(ForwardFor.DEFAULT_HEADER) ? null : f.header(), f.ifNone());
    }

    /** {@code option forwardfor [except <network>] [header <name>] [if-none]} as said (null = not said). */
    static List<String> writeForwardFor(String except, String header, boolean ifNone) {
        List<String> w = new ArrayList<>(List.of("option", "forwardfor"));
        Values.option(w, "except", except);
        Values.option(w, "header", header);
        if (ifNone) {
            w.add("if-none");
        }
        return w;
    }

    static List<String> write(HttpCheck h) {
        if (h.equals(HttpCheck.DEFAULT)) {
            return writeCheck("httpchk", null, null, Words.of()).values();
        }
        Words version = h.version().equals(HttpCheck.DEFAULT.version()) ? Words.of() : Words.of(h.version());
        return writeCheck("httpchk", h.method(), h.uri(), version).values();
    }

    /**
     * {@code option <check> [<method>] [<uri>] [<version>…]} for a health-check option ({@code httpchk},
     * {@code tcp-check}…) as said; {@code version} as written.
     */
    static Words writeCheck(String check, String method, String uri, Words version) {
        List<String> w = new ArrayList<>(write(check, true));
        if (method != null) {
            w.add(method);
        }
        if (uri != null) {
            w.add(uri);
        }
        return Words.of(w).plus(version);
    }

    /** {@code option httplog [clf]} ({@code clf} is refused by the parser: Flagman has no CLF log format yet). */
    static List<String> writeHttplog(boolean clf) {
        return clf ? List.of("option", "httplog", "clf") : write(ProxyOption.HTTPLOG);
    }

    /** {@code option redispatch [<interval>]}, or {@code no option redispatch}. */
    static List<String> writeRedispatch(boolean enabled, Long interval) {
        List<String> w = new ArrayList<>(write(ProxyOption.REDISPATCH.keyword(), enabled));
        if (enabled && interval != null) {
            w.add(interval.toString());
        }
        return w;
    }
}
