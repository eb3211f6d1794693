package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.Bind;
import io.flagman.config.model.BindAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code bind <address>[,<address>…] [options]}: one {@link Bind} per address. */
final class BindKeyword implements Keyword<ProxyBuilder> {

    static final BindKeyword INSTANCE = new BindKeyword();

    static final List<String> OPTIONS = List.of("accept-proxy", "ssl", "crt", "name", "maxconn", "backlog", "alpn",
            "v4v6", "v6only");

    /** Bind options that change nothing Flagman does (accepted with a warning). */
    static final List<String> IGNORED = List.of("defer-accept", "process", "thread", "id", "tfo");

    /** Unsupported bind options that take no value; every other one takes exactly one. */
    private static final Set<String> NO_VALUE = Set.of("strict-sni", "no-alpn", "transparent", "allow-0rtt",
            "no-tlsv12", "no-tlsv13", "force-tlsv12", "force-tlsv13", "generate-certificates", "no-ca-names",
            "prefer-client-ciphers");

    /** Bind options HAProxy knows that Flagman does not implement. */
    static final List<String> NOT_SUPPORTED = List.of("ca-file", "crl-file", "crt-list", "verify", "ciphers",
            "ciphersuites", "ssl-min-ver", "ssl-max-ver", "strict-sni", "npn", "no-alpn", "transparent", "interface",
            "namespace", "proto", "mode", "level", "user", "group", "uid", "gid", "expose-fd", "allow-0rtt",
            "curves", "ecdhe", "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "no-tlsv13", "force-tlsv12",
            "force-tlsv13", "tcp-ut", "mss", "nice", "quic-cc-algo", "generate-certificates", "ca-sign-file",
            "no-ca-names", "prefer-client-ciphers", "sigalgs", "client-sigalgs", "ocsp-update");

    @Override
    public String name() {
        return "bind";
    }

    @Override
    public String usage() {
        return "bind <address>:<port>[,…] [name <name>] [accept-proxy] [ssl] [crt <file>]… [alpn <list>]"
                + " [maxconn <n>] [backlog <n>] [v4v6] [v6only]";
    }

    @Override
    public String summary() {
        return "a listening address of the frontend";
    }

    @Override
    public Set<Scope> scopes() {
        return EnumSet.of(Scope.FRONTEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        String addresses = d.word(1);
        if (addresses == null) {
            d.missing(1, "an address");
            return;
        }
        List<BindAddress> parsed = new ArrayList<>();
        for (String a : addresses.split(",", -1)) {
            StringBuilder error = new StringBuilder();
            BindAddress address = Values.bindAddress(a, error);
            if (address == null) {
                d.error(1, "bind: invalid address '" + a + "': " + error,
                        "expected *:80, :80, 1.2.3.4:80, [::]:80, ipv4@…, ipv6@…, unix@/path or a port range 8000-8010");
            } else {
                parsed.add(address);
            }
        }
        String name = null;
        boolean acceptProxy = false;
        boolean ssl = false;
        List<String> crts = new ArrayList<>();
        int maxconn = 0;
        int backlog = 0;
        String alpn = null;
        boolean v4v6 = false;
        boolean v6only = false;
        for (int i = 2; i < d.size(); i++) {
            String w = d.word(i);
            switch (w) {
                case "accept-proxy" -> acceptProxy = true;
                case "ssl" -> ssl = true;
                case "v4v6" -> v4v6 = true;
                case "v6only" -> v6only = true;
                case "crt" -> {
                    String f = d.word(++i);
                    if (f == null) {
                        d.missing(i, "a certificate file");
                    } else {
                        crts.add(f);
                    }
                }
                case "name" -> {
                    name = d.word(++i);
                    if (name == null) {
                        d.missing(i, "a name");
                    }
                }
                case "alpn" -> {
                    alpn = d.word(++i);
                    if (alpn == null) {
                        d.missing(i, "a protocol list such as h2,http/1.1");
                    }
                }
                case "maxconn" -> {
                    Integer v = Values.integer(d, ++i, 0, Integer.MAX_VALUE, "maxconn");
                    maxconn = v == null ? 0 : v;
                }
                case "backlog" -> {
                    Integer v = Values.integer(d, ++i, 0, Integer.MAX_VALUE, "backlog");
                    backlog = v == null ? 0 : v;
                }
                default -> i = other(d, i, w);
            }
        }
        if (!crts.isEmpty() && !ssl) {
            d.error(1, "bind: 'crt' is given but 'ssl' is missing", "add 'ssl' to terminate TLS on this bind");
        }
        if (ssl && crts.isEmpty()) {
            d.error(1, "bind: 'ssl' needs at least one 'crt <file>'", "add 'crt /path/to/cert.pem'");
        }
        for (BindAddress a : parsed) {
            target.binds.add(new Bind(a, name, acceptProxy, ssl, crts, maxconn, backlog, alpn, v4v6, v6only,
                    d.number()));
        }
    }

    /** Handles an option Flagman does not implement; returns the index of the last word it consumed. */
    private static int other(Directive d, int i, String w) {
        if (IGNORED.contains(w)) {
            d.warning(i, "bind option '" + w + "' has no effect in Flagman", "accepted and ignored");
            return takesArgument(w) ? i + 1 : i;
        }
        if (NOT_SUPPORTED.contains(w)) {
            d.error(i, "bind option '" + w + "' is not supported yet",
                    "remove it; supported options: " + String.join(", ", OPTIONS));
            // its value is not an option of its own: one error, not a second misleading one
            return NO_VALUE.contains(w) || i + 1 >= d.size() ? i : i + 1;
        }
        String hint = Suggest.didYouMean(w, OPTIONS);
        d.error(i, "unknown bind option '" + w + "'",
                hint != null ? hint : "expected one of: " + String.join(", ", OPTIONS));
        return i;
    }

    private static boolean takesArgument(String w) {
        return w.equals("process") || w.equals("thread") || w.equals("id");
    }

    static List<String> write(Bind b) {
        return write(b.address().text(), BindSettings.of(b));
    }

    /** {@code ["bind", address, options…]} with every option {@code s} says, and no other. */
    static List<String> write(String address, BindSettings s) {
        List<String> w = new ArrayList<>(List.of("bind", address));
        Values.option(w, "name", s.name);
        flag(w, "accept-proxy", s.acceptProxy);
        flag(w, "ssl", s.ssl);
        for (String crt : s.certificates) {
            Values.option(w, "crt", crt);
        }
        Values.option(w, "alpn", s.alpn);
        Values.option(w, "maxconn", s.maxconn);
        Values.option(w, "backlog", s.backlog);
        flag(w, "v4v6", s.v4v6);
        flag(w, "v6only", s.v6only);
        // HAProxy's options Flagman does not implement yet
        flag(w, "transparent", s.transparent);
        flag(w, "defer-accept", s.deferAccept);
        flag(w, "tfo", s.tfo);
        flag(w, "allow-0rtt", s.allow0rtt);
        flag(w, "no-alpn", s.noAlpn);
        flag(w, "strict-sni", s.strictSni);
        flag(w, "prefer-client-ciphers", s.preferClientCiphers);
        Values.option(w, "ca-file", s.caFile);
        Values.option(w, "crt-list", s.crtList);
        Values.option(w, "ciphers", s.ciphers);
        Values.option(w, "ciphersuites", s.ciphersuites);
        Values.option(w, "verify", s.verify);
        Values.option(w, "ssl-min-ver", s.sslMinVer);
        Values.option(w, "ssl-max-ver", s.sslMaxVer);
        Values.option(w, "thread", s.thread);
        Values.option(w, "level", s.level);
        Values.option(w, "mode", s.mode);
        Values.option(w, "interface", s.iface);
        Values.option(w, "namespace", s.namespace);
        Values.option(w, "proto", s.proto);
        Values.option(w, "user", s.user);
        Values.option(w, "group", s.group);
        Values.option(w, "id", s.id);
        return w;
    }

    /**
     * A bind address: {@code host} alone without a port, else {@code host:port}, {@code :port}, {@code [v6]:port},
     * with {@code -end} for a port range.
     */
    static String address(String host, Integer port, Integer end) {
        if (port == null) {
            return host;
        }
        String a = ServerKeyword.address(host == null ? "" : host, port);
        return end != null && end > port ? a + "-" + end : a;
    }

    /** A flag is written only when said as on (a bind has no {@code no-} forms). */
    private static void flag(List<String> w, String option, Boolean on) {
        if (Boolean.TRUE.equals(on)) {
            w.add(option);
        }
    }
}
