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

    static final List<String> OPTIONS = List.of("weight", "backup", "no-backup", "disabled", "enabled", "maxconn", "check",
            "no-check", "inter", "rise", "fall", "send-proxy", "send-proxy-v2", "no-send-proxy", "ssl", "no-ssl",
            "verify", "sni", "port", "addr");

    /** Server options HAProxy knows and Flagman does not implement: errors, never silently ignored. */
    static final List<String> NOT_SUPPORTED = List.of("cookie", "track", "slowstart", "agent-check", "agent-port",
            "agent-inter", "agent-addr", "agent-send", "fastinter", "downinter", "observe", "on-error",
            "on-marked-down", "on-marked-up", "error-limit", "resolvers", "resolve-prefer", "resolve-net",
            "init-addr", "redir", "source", "usesrc", "maxqueue", "minconn", "crt", "ca-file", "alpn", "proto",
            "check-ssl", "check-sni", "check-send-proxy", "check-alpn", "id", "namespace",
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
                        + " [fall <n>] [send-proxy|send-proxy-v2] [ssl] [verify none|required] [sni <expr>] [port <port>] [addr <ip>]"
                : "server <name> <address>[:<port>] [weight <n>] [backup] [disabled] [maxconn <n>] [check]"
                        + " [inter <time>] [rise <n>] [fall <n>] [send-proxy|send-proxy-v2] [ssl]"
                        + " [verify none|required] [sni <expr>] [port <port>] [addr <ip>]";
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
                case "no-backup" -> s.backup = false;
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
                case "port" -> {
                    Integer p = Values.integer(d, i + 1, 1, 65535, "check port");
                    s.checkPort = p == null ? null : (long) p;
                    i++;
                }
                case "addr" -> {
                    String a = d.word(i + 1);
                    if (a == null) {
                        d.missing(i + 1, "an IPv4 or IPv6 address");
                    } else if (!isIpLiteral(a)) {
                        d.error(i + 1, "'addr': '" + a + "' is not an IPv4 or IPv6 address",
                                "health checks' own address is an IP literal, e.g. addr 10.0.0.5");
                    } else {
                        s.checkAddr = a;
                    }
                    i++;
                }
                default -> i = unknown(d, i, w);
            }
            i++;
        }
        return s;
    }

    private static boolean isIpLiteral(String a) {
        try {
            java.net.InetAddress.ofLiteral(a);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Unsupported server options that take no value; every other one takes exactly one. */
    private static final Set<String> NO_VALUE = Set.of("agent-check", "check-ssl", "check-send-proxy", "tfo",
            "send-proxy-v2-ssl", "send-proxy-v2-ssl-cn", "no-tlsv13", "force-tlsv12", "non-stick", "stick",
            "sni-auto", "backup-hdr");

    /**
     * Reports an option Flagman does not implement or does not know; returns the index of the last word it
     * consumed, so that an unsupported option's value is not read as an option of its own (one error, not two).
     */
    private static int unknown(Directive d, int i, String w) {
        if (NOT_SUPPORTED.contains(w)) {
            d.error(i, "server option '" + w + "' is not supported yet", "remove it; supported options: "
                    + String.join(", ", OPTIONS));
            return NO_VALUE.contains(w) || i + 1 >= d.size() ? i : i + 1;
        }
        String hint = Suggest.didYouMean(w, OPTIONS);
        d.error(i, "unknown server option '" + w + "'",
                hint != null ? hint : "expected one of: " + String.join(", ", OPTIONS));
        return i;
    }

    /** {@code ["server", name, "host:port", options…]}: only settings that differ from HAProxy's defaults. */
    static List<String> write(Server s) {
        return write(s.name(), address(s.host(), s.port()), ServerSettings.of(s));
    }

    /** {@code ["default-server", options…]} for a template server. */
    static List<String> writeDefault(Server s) {
        return writeDefault(ServerSettings.of(s));
    }

    /** {@code ["server", name, address, options…]} with every option {@code s} says, and no other. */
    static List<String> write(String name, String address, ServerSettings s) {
        List<String> w = new ArrayList<>(List.of("server", name, address));
        writeOptions(w, s);
        return w;
    }

    /** {@code ["default-server", options…]} with every option {@code s} says, and no other. */
    static List<String> writeDefault(ServerSettings s) {
        List<String> w = new ArrayList<>(List.of("default-server"));
        writeOptions(w, s);
        return w;
    }

    /**
     * A server address: {@code host}, {@code host:port}, {@code [v6]:port}; a port of 0 or less is not written, and
     * an address that is already bracketed or has a family prefix ({@code ipv6@…}) is kept as given.
     */
    static String address(String host, int port) {
        String h = host == null ? "" : host;
        if (port <= 0) {
            return h;
        }
        if (h.indexOf(':') >= 0 && !h.startsWith("[") && !h.contains("@")) {
            h = "[" + h + "]";
        }
        return h + ":" + port;
    }

    private static void writeOptions(List<String> w, ServerSettings s) {
        flag(w, "check", s.check);
        Values.option(w, "inter", s.inter == null ? null : Values.formatDuration(s.inter));
        Values.option(w, "rise", s.rise);
        Values.option(w, "fall", s.fall);
        Values.option(w, "weight", s.weight);
        Values.option(w, "maxconn", s.maxconn);
        flag(w, "backup", s.backup);
        if (s.disabled != null) {
            w.add(s.disabled ? "disabled" : "enabled");
        }
        if (s.sendProxy != null) {
            w.add(switch (s.sendProxy) {
                case NONE -> "no-send-proxy";
                case V1 -> "send-proxy";
                case V2 -> "send-proxy-v2";
            });
        }
        flag(w, "ssl", s.ssl);
        Values.option(w, "verify", s.verify);
        Values.option(w, "sni", s.sni);
        Values.option(w, "port", s.checkPort);
        Values.option(w, "addr", s.checkAddr);
        // HAProxy's options Flagman does not implement yet
        flag(w, "check-ssl", s.checkSsl);
        flag(w, "tfo", s.tfo);
        flag(w, "agent-check", s.agentCheck);
        Values.option(w, "observe", s.observe);
        Values.option(w, "on-error", s.onError);
        Values.option(w, "maxqueue", s.maxqueue);
        Values.option(w, "minconn", s.minconn);
        Values.option(w, "id", s.id);
        Values.option(w, "fastinter", s.fastinter == null ? null : Values.formatDuration(s.fastinter));
        Values.option(w, "downinter", s.downinter == null ? null : Values.formatDuration(s.downinter));
        Values.option(w, "slowstart", s.slowstart == null ? null : Values.formatDuration(s.slowstart));
        Values.option(w, "cookie", s.cookie);
        Values.option(w, "ca-file", s.caFile);
        Values.option(w, "crt", s.crt);
        Values.option(w, "alpn", s.alpn);
        Values.option(w, "proto", s.proto);
        Values.option(w, "source", s.source);
        Values.option(w, "track", s.track);
        Values.option(w, "init-addr", s.initAddr);
        Values.option(w, "resolvers", s.resolvers);
        Values.option(w, "check-alpn", s.checkAlpn);
        Values.option(w, "check-sni", s.checkSni);
    }

    /** {@code option} when true, {@code no-option} when false, nothing when not said. */
    private static void flag(List<String> w, String option, Boolean on) {
        if (on != null) {
            w.add(on ? option : "no-" + option);
        }
    }
}
