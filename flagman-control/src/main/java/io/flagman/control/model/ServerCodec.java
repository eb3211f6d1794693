package io.flagman.control.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.control.ApiException;
import io.flagman.config.model.SendProxy;
import io.flagman.config.parse.DirectiveWriter;
import io.flagman.config.parse.ServerSettings;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Token;
import io.flagman.config.text.Words;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code server <name> <address>[:<port>] [params]} ↔ the {@code server} model. Also reads and writes the
 * parameters of {@code default-server} ({@link #params(List, int, ObjectNode)}, {@link #settings}); the words are
 * written by the config module's {@code ServerKeyword}, through {@link DirectiveWriter}.
 */
final class ServerCodec implements LineCodec.Named {

    static final Set<String> OWN = Set.of("address", "id", "metadata", "name", "port");
    private static final List<String> ENABLED = List.of("enabled", "disabled");

    /** Flag params: JSON name → config keyword (value "enabled"); {@code no-<kw>} reads as "disabled". */
    private static final List<String[]> FLAGS = List.of(
            new String[] {"check", "check"}, new String[] {"backup", "backup"}, new String[] {"ssl", "ssl"},
            new String[] {"send-proxy", "send-proxy"}, new String[] {"send-proxy-v2", "send-proxy-v2"},
            new String[] {"check-ssl", "check-ssl"}, new String[] {"tfo", "tfo"},
            new String[] {"agent-check", "agent-check"});

    /** Integer params: JSON name → keyword. */
    private static final List<String[]> INTS = List.of(
            new String[] {"weight", "weight"}, new String[] {"maxconn", "maxconn"},
            new String[] {"maxqueue", "maxqueue"}, new String[] {"minconn", "minconn"},
            new String[] {"rise", "rise"}, new String[] {"fall", "fall"},
            new String[] {"health_check_port", "port"}, new String[] {"id", "id"});

    /** Duration params (ms in JSON). */
    private static final List<String[]> DURATIONS = List.of(
            new String[] {"inter", "inter"}, new String[] {"fastinter", "fastinter"},
            new String[] {"downinter", "downinter"}, new String[] {"slowstart", "slowstart"});

    /** String params: JSON name → keyword. */
    private static final List<String[]> STRINGS = List.of(
            new String[] {"sni", "sni"}, new String[] {"cookie", "cookie"}, new String[] {"ssl_cafile", "ca-file"},
            new String[] {"ssl_certificate", "crt"}, new String[] {"alpn", "alpn"}, new String[] {"proto", "proto"},
            new String[] {"source", "source"}, new String[] {"track", "track"},
            new String[] {"init-addr", "init-addr"}, new String[] {"resolvers", "resolvers"},
            new String[] {"health_check_address", "addr"}, new String[] {"check_alpn", "check-alpn"},
            new String[] {"check-sni", "check-sni"});

    @Override
    public Set<String> family() {
        return Set.of("server");
    }

    @Override
    public String nameFrom(JsonNode body) {
        return Json.string(body, "name", true, Json.NO_SPACE);
    }

    @Override
    public String what() {
        return "server";
    }

    @Override
    public ObjectNode toJson(ConfigLine line) {
        ObjectNode o = Json.object();
        o.put("name", line.word(1));
        String addr = line.word(2);
        if (addr != null) {
            HostPort hp = HostPort.parse(addr);
            if (hp.host() != null) {
                o.put("address", hp.host());
            }
            if (hp.port() > 0) {
                o.put("port", hp.port());
            }
        }
        params(line.words(), 3, o);
        return Json.ordered(o, List.of(), OWN);
    }

    /** Reads server params from word {@code from} on into {@code o}. */
    static void params(List<Token> w, int from, ObjectNode o) {
        for (int i = from; i < w.size(); i++) {
            String kw = w.get(i).value();
            String next = i + 1 < w.size() ? w.get(i + 1).value() : null;
            boolean done = false;
            for (String[] f : FLAGS) {
                if (kw.equals(f[1])) {
                    o.put(f[0], "enabled");
                    done = true;
                } else if (kw.equals("no-" + f[1])) {
                    o.put(f[0], "disabled");
                    done = true;
                }
            }
            if (done) {
                continue;
            }
            if (kw.equals("disabled")) {
                o.put("maintenance", "enabled");
                continue;
            }
            if (kw.equals("enabled")) {
                continue;
            }
            if (kw.equals("verify") && next != null) {
                o.put("verify", next);
                i++;
                continue;
            }
            if (kw.equals("observe") && next != null) {
                o.put("observe", next);
                i++;
                continue;
            }
            if (kw.equals("on-error") && next != null) {
                o.put("on-error", next);
                i++;
                continue;
            }
            for (String[] f : INTS) {
                if (kw.equals(f[1]) && next != null) {
                    try {
                        o.put(f[0], Long.parseLong(next));
                    } catch (NumberFormatException e) {
                        o.put(f[0], next);
                    }
                    i++;
                    done = true;
                    break;
                }
            }
            if (done) {
                continue;
            }
            for (String[] f : DURATIONS) {
                if (kw.equals(f[1]) && next != null) {
                    Long ms = Json.millis(next);
                    if (ms != null) {
                        o.put(f[0], ms);
                    }
                    i++;
                    done = true;
                    break;
                }
            }
            if (done) {
                continue;
            }
            for (String[] f : STRINGS) {
                if (kw.equals(f[1]) && next != null) {
                    o.put(f[0], next);
                    i++;
                    break;
                }
            }
        }
    }

    @Override
    public Words toWords(JsonNode body) {
        Json.object(body);
        String name = nameFrom(body);
        String address = Json.string(body, "address", true, Json.NO_SPACE);
        Long port = Json.integer(body, "port", false, 1L, 65535L);
        return Words.of(DirectiveWriter.server(name,
                DirectiveWriter.serverAddress(address, port == null ? 0 : port.intValue()), settings(body)));
    }

    /** The server options the JSON model says (also those of a section's {@code default_server}). */
    static ServerSettings settings(JsonNode body) {
        ServerSettings s = new ServerSettings();
        s.check = flag(body, "check", true);
        s.backup = flag(body, "backup", true);
        s.ssl = flag(body, "ssl", true);
        Boolean v1 = flag(body, "send-proxy", true);
        Boolean v2 = flag(body, "send-proxy-v2", true);
        if (v1 != null) {
            s.sendProxy = v1 ? SendProxy.V1 : SendProxy.NONE;
        }
        if (v2 != null) {
            s.sendProxy = v2 ? SendProxy.V2 : SendProxy.NONE;
        }
        s.checkSsl = flag(body, "check-ssl", false);
        s.tfo = flag(body, "tfo", false);
        s.agentCheck = flag(body, "agent-check", false);
        if ("enabled".equals(Json.enumValue(body, "maintenance", false, ENABLED))) {
            s.disabled = true;
        }
        s.verify = Json.enumValue(body, "verify", false, List.of("none", "required"));
        s.observe = Json.enumValue(body, "observe", false, List.of("layer4", "layer7"));
        s.onError = Json.enumValue(body, "on-error", false, List.of("fastinter", "fail-check", "sudden-death",
                "mark-down"));
        s.weight = toInt(Json.integer(body, "weight", false, 0L, 256L));
        s.maxconn = toInt(Json.integer(body, "maxconn", false, 0L, (long) Integer.MAX_VALUE));
        s.maxqueue = Json.integer(body, "maxqueue", false, 0L, null);
        s.minconn = Json.integer(body, "minconn", false, 0L, null);
        s.rise = toInt(Json.integer(body, "rise", false, 0L, (long) Integer.MAX_VALUE));
        s.fall = toInt(Json.integer(body, "fall", false, 0L, (long) Integer.MAX_VALUE));
        s.checkPort = Json.integer(body, "health_check_port", false, 0L, 65535L);
        s.id = Json.integer(body, "id", false, 0L, null);
        s.inter = duration(body, "inter");
        s.fastinter = duration(body, "fastinter");
        s.downinter = duration(body, "downinter");
        s.slowstart = duration(body, "slowstart");
        s.sni = string(body, "sni");
        s.cookie = string(body, "cookie");
        s.caFile = string(body, "ssl_cafile");
        s.crt = string(body, "ssl_certificate");
        s.alpn = string(body, "alpn");
        s.proto = string(body, "proto");
        s.source = string(body, "source");
        s.track = string(body, "track");
        s.initAddr = string(body, "init-addr");
        s.resolvers = string(body, "resolvers");
        s.checkAddr = string(body, "health_check_address");
        s.checkAlpn = string(body, "check_alpn");
        s.checkSni = string(body, "check-sni");
        return s;
    }

    /** "enabled" → true, "disabled" → false where the option has a {@code no-} form to say it, else not said. */
    private static Boolean flag(JsonNode body, String field, boolean negatable) {
        String v = Json.enumValue(body, field, false, ENABLED);
        return "enabled".equals(v) ? Boolean.TRUE : "disabled".equals(v) && negatable ? Boolean.FALSE : null;
    }

    private static Integer toInt(Long v) {
        return v == null ? null : v.intValue();
    }

    private static Duration duration(JsonNode body, String field) {
        Long ms = Json.integer(body, field, false, 0L, null);
        return ms == null ? null : Duration.ofMillis(ms);
    }

    private static String string(JsonNode body, String field) {
        String v = Json.string(body, field);
        if (v != null && v.isBlank()) {
            throw ApiException.unprocessable(field + " in body should match '^[^\\s]+$'");
        }
        return v;
    }

    /** An address with an optional port: {@code host}, {@code host:port}, {@code [v6]:port}, {@code v6}. */
    record HostPort(String host, int port, int portEnd) {
        static HostPort parse(String text) {
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close > 0) {
                    String host = text.substring(1, close);
                    String rest = text.substring(close + 1);
                    if (rest.startsWith(":")) {
                        int[] ports = ports(rest.substring(1));
                        return new HostPort(host, ports[0], ports[1]);
                    }
                    return new HostPort(host, 0, 0);
                }
            }
            int at = text.indexOf('@');
            String prefix = at >= 0 ? text.substring(0, at + 1) : "";
            String body = at >= 0 ? text.substring(at + 1) : text;
            if (body.startsWith("/")) {
                return new HostPort(text, 0, 0);
            }
            int colon = body.lastIndexOf(':');
            if (colon < 0) {
                return new HostPort(text, 0, 0);
            }
            if (body.indexOf(':') != colon && !prefix.startsWith("ipv6")) {
                // bare IPv6 without a port
                return new HostPort(text, 0, 0);
            }
            int[] ports = ports(body.substring(colon + 1));
            if (ports[0] < 0) {
                return new HostPort(text, 0, 0);
            }
            String host = prefix + body.substring(0, colon);
            return new HostPort(host.isEmpty() ? null : host, ports[0], ports[1]);
        }

        private static int[] ports(String s) {
            int dash = s.indexOf('-');
            try {
                if (dash > 0) {
                    return new int[] {Integer.parseInt(s.substring(0, dash)), Integer.parseInt(s.substring(dash + 1))};
                }
                if (s.isEmpty()) {
                    return new int[] {0, 0};
                }
                int p = Integer.parseInt(s);
                return new int[] {p, p};
            } catch (NumberFormatException e) {
                return new int[] {-1, -1};
            }
        }
    }
}
