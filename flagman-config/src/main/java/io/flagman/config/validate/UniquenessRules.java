package io.flagman.config.validate;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Bind;
import io.flagman.config.model.BindAddress;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.Server;
import io.flagman.config.model.Userlist;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Names and addresses that must be unique, and numbers that must be in range: proxy names per role (as
 * HAProxy: a frontend and a backend may share a name, a listen section takes both roles), server names per
 * backend, userlist names, bind addresses across the whole configuration, ports.
 */
final class UniquenessRules {

    private final Context ctx;

    UniquenessRules(Context ctx) {
        this.ctx = ctx;
    }

    void check() {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Boolean> seenListen = new HashMap<>();
        for (Frontend f : ctx.config().frontends()) {
            duplicateProxy(seen, seenListen, "frontend", f.name(), f.listen(), f.line());
        }
        seen.clear();
        seenListen.clear();
        for (Backend b : ctx.config().backends()) {
            duplicateProxy(seen, seenListen, "backend", b.name(), b.listen(), b.line());
            servers(b);
        }
        userlists();
        binds();
    }

    private void duplicateProxy(Map<String, Integer> seen, Map<String, Boolean> seenListen, String role,
            String name, boolean listen, int line) {
        Integer first = seen.putIfAbsent(name, line);
        if (first == null) {
            seenListen.put(name, listen);
            return;
        }
        String kind = listen ? "listen" : role;
        String firstKind = seenListen.get(name) ? "listen" : role;
        ctx.out().error(line, ctx.positions().word(line, 1), kind + " '" + name + "' has the same name as "
                + firstKind + " '" + name + "' declared on line " + first
                + " (expected: a name no other proxy with the same role uses)", "rename one of them");
    }

    private void servers(Backend b) {
        Map<String, Integer> seen = new HashMap<>();
        for (Server s : b.servers()) {
            Integer first = seen.putIfAbsent(s.name(), s.line());
            if (first != null) {
                ctx.out().error(s.line(), ctx.positions().word(s.line(), 1), (b.listen() ? "listen '" : "backend '")
                        + b.name() + "': server '" + s.name() + "' is already defined on line " + first
                        + " (expected: distinct server names in one backend)", "rename one of the servers");
            }
            if (s.port() < 0 || s.port() > 65535) {
                ctx.out().error(s.line(), ctx.positions().word(s.line(), 2), "server '" + b.name() + "/" + s.name()
                        + "': port " + s.port() + " is out of range (expected: 1..65535, or none to keep the"
                        + " client's destination port)", null);
            }
        }
    }

    /** HAProxy ignores a second userlist of the same name with a warning; so does Flagman. */
    private void userlists() {
        Map<String, Integer> seen = new HashMap<>();
        for (Userlist u : ctx.config().userlists()) {
            Integer first = seen.putIfAbsent(u.name(), u.line());
            if (first != null) {
                ctx.out().warning(u.line(), ctx.positions().word(u.line(), 1), "userlist '" + u.name()
                        + "' is already defined on line " + first + "; this one is ignored", "rename or merge them");
            }
        }
    }

    private record Listener(String proxy, String kind, Bind bind) {}

    /** Two binds on one address and port would fail when Flagman opens its sockets; say so before. */
    private void binds() {
        List<Listener> seen = new ArrayList<>();
        for (Frontend f : ctx.config().frontends()) {
            for (Bind b : f.binds()) {
                BindAddress a = b.address();
                int column = ctx.positions().word(b.line(), 1);
                if (a.family() != BindAddress.Family.UNIX
                        && (a.port() < 1 || a.portEnd() > 65535 || a.portEnd() < a.port())) {
                    ctx.out().error(b.line(), column, (f.listen() ? "listen '" : "frontend '") + f.name()
                            + "': bind port " + (a.port() == a.portEnd() ? a.port() : a.port() + "-" + a.portEnd())
                            + " is out of range (expected: 1..65535)", null);
                    continue;
                }
                for (Listener other : seen) {
                    if (overlaps(other.bind().address(), a)) {
                        ctx.out().error(b.line(), column, (f.listen() ? "listen '" : "frontend '") + f.name()
                                + "': bind '" + a.text() + "' uses the same address and port as the bind on line "
                                + other.bind().line() + " of " + other.kind() + " '" + other.proxy()
                                + "' (expected: each address:port bound once)", "use another port or address");
                        break;
                    }
                }
                seen.add(new Listener(f.name(), f.listen() ? "listen" : "frontend", b));
            }
        }
    }

    private static boolean overlaps(BindAddress x, BindAddress y) {
        boolean unixX = x.family() == BindAddress.Family.UNIX;
        boolean unixY = y.family() == BindAddress.Family.UNIX;
        if (unixX || unixY) {
            return unixX && unixY && x.path() != null && x.path().equals(y.path());
        }
        if (!host(x).equals(host(y))) {
            return false;
        }
        return x.port() <= y.portEnd() && y.port() <= x.portEnd();
    }

    private static String host(BindAddress a) {
        if (a.host() == null || a.host().isEmpty() || a.host().equals("*")) {
            return a.family() == BindAddress.Family.IPV6 ? "::" : "0.0.0.0";
        }
        return a.host().toLowerCase(java.util.Locale.ROOT);
    }
}
