package io.flagman.config.parse;

import io.flagman.config.text.Suggest;

import io.flagman.config.model.SendProxy;
import io.flagman.config.model.Server;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code server <name> <address>[:<port>] [options]} and {@code default-server [options]}. */
final class ServerKeyword implements Keyword<ProxyBuilder> {

    /** A server line as parsed, before default-server settings are applied. */
    record Parsed(String name, String host, int port, ServerSettings settings, int line) {}

    static final List<String> OPTIONS = List.of("weight", "backup", "disabled", "enabled", "maxconn", "check",
            "no-check", "inter", "rise", "fall", "send-proxy", "send-proxy-v2", "no-send-proxy", "ssl", "no-ssl",
            "verify", "sni");

    /** Server options HAProxy knows and Flagman does not implement: errors, never silently ignored. */
    static final List<String> NOT_SUPPORTED = List.of("cookie", "track", "slowstart", "agent-check", "agent-port",
            "agent-inter", "agent-addr", "agent-send", "fastinter", "downinter", "observe", "on-error",
            "on-marked-down", "on-marked-up", "error-limit", "resolvers", "resolve-prefer", "resolve-net",
            "init-addr", "redir", "source", "usesrc", "maxqueue", "minconn", "crt", "ca-file", "alpn", "proto",
            "check-ssl", "check-sni", "check-send-proxy", "check-alpn", "addr", "port", "id", "namespace",
            "pool-max-conn", "pool-purge-delay", "pool-low-conn", "tfo", "ws", "send-proxy-v2-ssl",
            "send-proxy-v2-ssl-cn", "proxy-v2-options", "ciphers", "ciphersuites", "ssl-min-ver", "ssl-max-ver",
            "sni-auto", "no-tlsv13", "force-tlsv12", "max-reuse", "non-stick", "stick", "backup-hdr");

    private final boolean defaults;

    private ServerKeyword(boolean defaults) {
        this.defaults = defaults;
    }

    static final ServerKeyword SERVER = new ServerKeyword(false);
    static final ServerKeyword DEFAULT_SERVER = new ServerKeyword(true);

    @Override
    public String name() {
        return defaults ? "default-server" : "server";
    }

    @Override
    public String usage() {
        return defaults
                ? "default-server [weight <n>] [backup] [disabled] [maxconn <n>] [check] [inter <time>] [rise <n>]"
                        + " [fall <n>] [send-proxy|send-proxy-v2] [ssl] [verify none|required] [sni <expr>]"
                : "server <name> <address>[:<port>] [weight <n>] [backup] [disabled] [maxconn <n>] [check]"
                        + " [inter <time>] [rise <n>] [fall <n>] [send-proxy|send-proxy-v2] [ssl]"
                        + " [verify none|required] [sni <expr>]";
    }

    @Override
    public String summary() {
        return defaults ? "settings every following server of the proxy inherits" : "one upstream server";
    }

    @Override
    public Set<Scope> scopes() {
        return defaults ? EnumSet.of(Scope.DEFAULTS, Scope.BACKEND) : EnumSet.of(Scope.BACKEND);
    }

    @Override
    public void parse(Directive d, ProxyBuilder target) {
        if (defaults) {
            ServerSettings s = options(d, 1);
            target.defaultServer = target.defaultServer == null ? s : s.over(target.defaultServer);
            return;
        }
        String name = d.word(1);
        if (name == null) {
            d.missing(1, "a server name");
            return;
        }
        String address = d.word(2);
        if (address == null) {
            d.missing(2, "an address");
            return;
        }
        StringBuilder error = new StringBuilder();
        Values.HostPort hp = address.startsWith("unix@") || address.startsWith("/") ? null
                : Values.hostPort(address, error);
        if (hp == null) {
            d.error(2, "server '" + name + "': invalid address '" + address + "'"
                    + (error.isEmpty() ? "" : ": " + error),
                    "expected <host>[:<port>], [<ipv6>]:<port> or <ipv6>:<port>");
        }
        ServerSettings settings = options(d, 3);
        // default-server applies to the servers that follow it, as in HAProxy.
        if (target.defaultServer != null) {
            settings = settings.over(target.defaultServer);
        }
        if (hp != null) {
            target.servers.add(new Parsed(name, hp.host(), hp.port(), settings, d.number()));
        }
    }

    private static ServerSettings options(Directive d, int from) {
        ServerSettings s = new ServerSettings();
        int i = from;
        while (i < d.size()) {
            String w = d.word(i);
            switch (w) {
                case "weight" -> {
                    s.weight = Values.integer(d, i + 1, 0, 256, "weight");
                    i++;
                }
                case "backup" -> s.backup = true;
                case "disabled" -> s.disabled = true;
                case "enabled" -> s.disabled = false;
                case "maxconn" -> {
                    s.maxconn = Values.integer(d, i + 1, 0, Integer.MAX_VALUE, "maxconn");
                    i++;
                }
                case "check" -> s.check = true;
                case "no-check" -> s.check = false;
                case "inter" -> {
                    s.inter = Values.duration(d, i + 1);
                    i++;
                }
                case "rise" -> {
                    s.rise = Values.integer(d, i + 1, 1, Integer.MAX_VALUE, "rise count");
                    i++;
                }
                case "fall" -> {
                    s.fall = Values.integer(d, i + 1, 1, Integer.MAX_VALUE, "fall count");
                    i++;
                }
                case "send-proxy" -> s.sendProxy = SendProxy.V1;
                case "send-proxy-v2" -> s.sendProxy = SendProxy.V2;
                case "no-send-proxy" -> s.sendProxy = SendProxy.NONE;
                case "ssl" -> s.ssl = true;
                case "no-ssl" -> s.ssl = false;
                case "verify" -> {
                    String v = d.word(i + 1);
                    if (v == null) {
                        d.missing(i + 1, "none or required");
                    } else if (!v.equals("none") && !v.equals("required")) {
                        d.error(i + 1, "'" + d.keyword() + "': invalid verify mode '" + v + "'",
                                "expected 'none' or 'required'");
                    } else {
                        s.verify = v;
                    }
                    i++;
                }
                case "sni" -> {
                    s.sni = d.word(i + 1);
                    if (s.sni == null) {
                        d.missing(i + 1, "an SNI expression");
                    }
                    i++;
                }
                default -> unknown(d, i, w);
            }
            i++;
        }
        return s;
    }

    private static void unknown(Directive d, int i, String w) {
        if (NOT_SUPPORTED.contains(w)) {
            d.error(i, "server option '" + w + "' is not supported yet", "remove it; supported options: "
                    + String.join(", ", OPTIONS));
            return;
        }
        String hint = Suggest.didYouMean(w, OPTIONS);
        d.error(i, "unknown server option '" + w + "'",
                hint != null ? hint : "expected one of: " + String.join(", ", OPTIONS));
    }

    /** {@code ["server", name, "host:port", options…]}: only settings that differ from HAProxy's defaults. */
    static List<String> write(Server s) {
        List<String> w = new ArrayList<>();
        w.add("server");
        w.add(s.name());
        String host = s.host().indexOf(':') >= 0 ? "[" + s.host() + "]" : s.host();
        w.add(s.port() == 0 ? host : host + ":" + s.port());
        w.addAll(writeOptions(s));
        return w;
    }

    /** {@code ["default-server", options…]} for a template server. */
    static List<String> writeDefault(Server s) {
        List<String> w = new ArrayList<>();
        w.add("default-server");
        w.addAll(writeOptions(s));
        return w;
    }

    private static List<String> writeOptions(Server s) {
        List<String> w = new ArrayList<>();
        if (s.check()) {
            w.add("check");
        }
        if (!s.inter().equals(Server.DEFAULT_INTER)) {
            w.add("inter");
            w.add(Values.formatDuration(s.inter()));
        }
        if (s.rise() != Server.DEFAULT_RISE) {
            w.add("rise");
            w.add(Integer.toString(s.rise()));
        }
        if (s.fall() != Server.DEFAULT_FALL) {
            w.add("fall");
            w.add(Integer.toString(s.fall()));
        }
        if (s.weight() != Server.DEFAULT_WEIGHT) {
            w.add("weight");
            w.add(Integer.toString(s.weight()));
        }
        if (s.maxconn() != 0) {
            w.add("maxconn");
            w.add(Integer.toString(s.maxconn()));
        }
        if (s.backup()) {
            w.add("backup");
        }
        if (s.disabled()) {
            w.add("disabled");
        }
        switch (s.sendProxy()) {
            case NONE -> { }
            case V1 -> w.add("send-proxy");
            case V2 -> w.add("send-proxy-v2");
        }
        if (s.ssl()) {
            w.add("ssl");
        }
        if (s.verify() != null) {
            w.add("verify");
            w.add(s.verify());
        }
        if (s.sni() != null) {
            w.add("sni");
            w.add(s.sni());
        }
        return w;
    }
}
