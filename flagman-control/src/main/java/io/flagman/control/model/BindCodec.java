package io.flagman.control.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.control.ApiException;
import io.flagman.config.edit.ConfigEditor;
import io.flagman.config.parse.BindSettings;
import io.flagman.config.parse.DirectiveWriter;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Token;
import io.flagman.config.text.Words;
import java.util.List;
import java.util.Set;

/**
 * {@code bind <address>:<port> [name <name>] [options]} ↔ the {@code bind} model. A bind without a
 * {@code name} option is addressed by its address as written ({@code *:80}).
 */
final class BindCodec implements LineCodec.Named {

    private static final Set<String> OWN = Set.of("address", "metadata", "name", "port", "port-range-end");
    private static final List<String[]> BOOLS = List.of(
            new String[] {"accept_proxy", "accept-proxy"}, new String[] {"ssl", "ssl"},
            new String[] {"v4v6", "v4v6"}, new String[] {"v6only", "v6only"},
            new String[] {"transparent", "transparent"}, new String[] {"defer_accept", "defer-accept"},
            new String[] {"tfo", "tfo"}, new String[] {"allow_0rtt", "allow-0rtt"},
            new String[] {"no_alpn", "no-alpn"}, new String[] {"strict_sni", "strict-sni"},
            new String[] {"prefer_client_ciphers", "prefer-client-ciphers"});
    private static final List<String[]> STRINGS = List.of(
            new String[] {"ssl_certificate", "crt"}, new String[] {"ssl_cafile", "ca-file"},
            new String[] {"crt_list", "crt-list"}, new String[] {"alpn", "alpn"},
            new String[] {"ciphers", "ciphers"}, new String[] {"ciphersuites", "ciphersuites"},
            new String[] {"verify", "verify"}, new String[] {"ssl_min_ver", "ssl-min-ver"},
            new String[] {"ssl_max_ver", "ssl-max-ver"}, new String[] {"backlog", "backlog"},
            new String[] {"thread", "thread"}, new String[] {"level", "level"}, new String[] {"mode", "mode"},
            new String[] {"interface", "interface"}, new String[] {"namespace", "namespace"},
            new String[] {"proto", "proto"}, new String[] {"user", "user"}, new String[] {"group", "group"});
    private static final List<String[]> INTS = List.of(new String[] {"maxconn", "maxconn"},
            new String[] {"id", "id"});

    @Override
    public Set<String> family() {
        return Set.of("bind");
    }

    @Override
    public String nameFrom(JsonNode body) {
        return Json.string(body, "name", true, Json.NO_SPACE);
    }

    @Override
    public String what() {
        return "bind";
    }

    @Override
    public ObjectNode toJson(ConfigLine line) {
        ObjectNode o = Json.object();
        String addr = line.word(1);
        if (addr != null) {
            ServerCodec.HostPort hp = ServerCodec.HostPort.parse(addr);
            if (hp.host() != null) {
                o.put("address", hp.host());
            }
            if (hp.port() > 0) {
                o.put("port", hp.port());
            }
            if (hp.portEnd() > hp.port()) {
                o.put("port-range-end", hp.portEnd());
            }
        }
        o.put("name", ConfigEditor.childName(line));
        List<Token> w = line.words();
        for (int i = 2; i < w.size(); i++) {
            String kw = w.get(i).value();
            String next = i + 1 < w.size() ? w.get(i + 1).value() : null;
            if (kw.equals("name")) {
                i++;
                continue;
            }
            boolean done = false;
            for (String[] b : BOOLS) {
                if (kw.equals(b[1])) {
                    o.put(b[0], true);
                    done = true;
                    break;
                }
            }
            if (done) {
                continue;
            }
            for (String[] s : STRINGS) {
                if (kw.equals(s[1]) && next != null) {
                    o.put(s[0], next);
                    i++;
                    done = true;
                    break;
                }
            }
            if (done) {
                continue;
            }
            for (String[] s : INTS) {
                if (kw.equals(s[1]) && next != null) {
                    o.put(s[0], Codecs.parseInt(next));
                    i++;
                    break;
                }
            }
        }
        return Json.ordered(o, List.of(), OWN);
    }

    @Override
    public Words toWords(JsonNode body) {
        Json.object(body);
        String name = nameFrom(body);
        String address = Json.string(body, "address", false, Json.NO_SPACE);
        Long port = Json.integer(body, "port", false, 1L, 65535L);
        Long end = Json.integer(body, "port-range-end", false, 1L, 65535L);
        if (address == null && port == null) {
            throw ApiException.unprocessable("address in body is required when port is not set");
        }
        String addr = DirectiveWriter.bindAddress(address, port == null ? null : port.intValue(),
                end == null ? null : end.intValue());
        BindSettings s = new BindSettings();
        s.name = name.equals(addr) ? null : name;
        s.acceptProxy = Json.bool(body, "accept_proxy");
        s.ssl = Json.bool(body, "ssl");
        s.v4v6 = Json.bool(body, "v4v6");
        s.v6only = Json.bool(body, "v6only");
        s.transparent = Json.bool(body, "transparent");
        s.deferAccept = Json.bool(body, "defer_accept");
        s.tfo = Json.bool(body, "tfo");
        s.allow0rtt = Json.bool(body, "allow_0rtt");
        s.noAlpn = Json.bool(body, "no_alpn");
        s.strictSni = Json.bool(body, "strict_sni");
        s.preferClientCiphers = Json.bool(body, "prefer_client_ciphers");
        String crt = Json.string(body, "ssl_certificate");
        s.certificates = crt == null ? List.of() : List.of(crt);
        s.caFile = Json.string(body, "ssl_cafile");
        s.crtList = Json.string(body, "crt_list");
        s.alpn = Json.string(body, "alpn");
        s.ciphers = Json.string(body, "ciphers");
        s.ciphersuites = Json.string(body, "ciphersuites");
        s.verify = Json.string(body, "verify");
        s.sslMinVer = Json.string(body, "ssl_min_ver");
        s.sslMaxVer = Json.string(body, "ssl_max_ver");
        s.backlog = Json.string(body, "backlog");
        s.thread = Json.string(body, "thread");
        s.level = Json.string(body, "level");
        s.mode = Json.string(body, "mode");
        s.iface = Json.string(body, "interface");
        s.namespace = Json.string(body, "namespace");
        s.proto = Json.string(body, "proto");
        s.user = Json.string(body, "user");
        s.group = Json.string(body, "group");
        s.maxconn = Json.integer(body, "maxconn");
        s.id = Json.integer(body, "id");
        return Words.of(DirectiveWriter.bind(addr, s));
    }
}
