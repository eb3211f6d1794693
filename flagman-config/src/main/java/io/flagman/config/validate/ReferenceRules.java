package io.flagman.config.validate;

import io.flagman.config.model.Acl;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Condition;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.Mode;
import io.flagman.config.model.UseBackend;
import io.flagman.config.model.UseServer;
import io.flagman.config.model.Userlist;
import io.flagman.config.parse.PredefinedAcls;
import java.util.List;

/**
 * Every name a configuration refers to resolves: backends of {@code default_backend} and {@code use_backend}
 * (and their mode), ACLs in conditions, userlists of {@code http_auth}, backends of {@code nbsrv},
 * servers of {@code use-server}.
 */
final class ReferenceRules {

    private final Context ctx;
    private final List<String> backendNames;

    ReferenceRules(Context ctx) {
        this.ctx = ctx;
        this.backendNames = ctx.config().backends().stream().map(Backend::name).distinct().toList();
    }

    void check() {
        for (Frontend f : ctx.config().frontends()) {
            checkDefaultBackend(f);
            for (UseBackend u : f.useBackends()) {
                checkUseBackend(f, u);
            }
        }
        for (Backend b : ctx.config().backends()) {
            for (UseServer u : b.useServers()) {
                checkUseServer(b, u);
            }
        }
        for (Context.Proxy p : ctx.proxies()) {
            for (Context.Use use : p.uses()) {
                checkAclNames(p, use);
            }
            for (Context.Test t : p.tests()) {
                checkFetchArguments(p, t);
            }
        }
    }

    private void checkDefaultBackend(Frontend f) {
        String name = f.defaultBackend();
        if (name == null || name.contains("%[") || (f.listen() && name.equals(f.name()))) {
            return;
        }
        int line = ctx.positions().directive(f.line(), "default_backend", name);
        int column = ctx.positions().word(line, 1);
        Backend target = ctx.config().backend(name).orElse(null);
        if (target == null) {
            missingBackend(line == 0 ? f.line() : line, column, f, "default_backend", name);
            return;
        }
        checkMode(f, target, "default backend", line == 0 ? f.line() : line, column);
    }

    private void checkUseBackend(Frontend f, UseBackend u) {
        String name = u.backend();
        if (name.contains("%[")) {
            return;
        }
        int column = ctx.positions().word(u.line(), 1);
        Backend target = ctx.config().backend(name).orElse(null);
        if (target == null) {
            missingBackend(u.line(), column, f, "use_backend", name);
            return;
        }
        checkMode(f, target, "backend in a use_backend rule", u.line(), column);
    }

    private void missingBackend(int line, int column, Frontend f, String keyword, String name) {
        String hint = Names.didYouMean(name, backendNames);
        ctx.out().error(line, column, kind(f) + " '" + f.name() + "': " + keyword + " '" + name
                + "' does not exist (expected: one of the backends: " + Names.list(backendNames) + ")",
                hint != null ? hint : "declare 'backend " + name + "' or fix the name");
    }

    /** HAProxy refuses an HTTP frontend that hands streams to a TCP backend; the reverse is an upgrade. */
    private void checkMode(Frontend f, Backend target, String role, int line, int column) {
        if (f.mode() == Mode.HTTP && target.mode() == Mode.TCP) {
            ctx.out().error(line, column, "http " + kind(f) + " '" + f.name() + "' uses tcp backend '"
                    + target.name() + "' as its " + role + " (expected: a backend in mode http)",
                    "add 'mode http' to backend '" + target.name() + "', or route tcp traffic from a tcp frontend");
        }
    }

    private void checkUseServer(Backend b, UseServer u) {
        if (u.server().contains("%[") || b.server(u.server()).isPresent()) {
            return;
        }
        List<String> servers = b.servers().stream().map(s -> s.name()).toList();
        String hint = Names.didYouMean(u.server(), servers);
        ctx.out().error(u.line(), ctx.positions().word(u.line(), 1), "backend '" + b.name() + "': use-server '"
                + u.server() + "' is not a server of this backend (expected: one of " + Names.list(servers) + ")",
                hint != null ? hint : "declare 'server " + u.server() + " <address>' in backend '" + b.name() + "'");
    }

    /** Named ACLs must exist in the same proxy, declared above their first use, or be predefined. */
    private void checkAclNames(Context.Proxy p, Context.Use use) {
        for (List<Condition.Term> and : use.condition().alternatives()) {
            for (Condition.Term term : and) {
                String name = term.aclName();
                if (name == null || PredefinedAcls.get(name) != null) {
                    continue;
                }
                List<Acl> declared = p.acls().stream().filter(a -> a.name().equals(name)).toList();
                int column = ctx.positions().find(use.line(), name);
                if (declared.isEmpty()) {
                    List<String> known = p.acls().stream().map(Acl::name).distinct().toList();
                    String hint = Names.didYouMean(name, known);
                    ctx.out().error(use.line(), column, p.kind() + " '" + p.name() + "': no such ACL '" + name
                            + "' (expected: an ACL declared in this " + p.kind() + " (" + Names.list(known)
                            + ") or a predefined one)",
                            hint != null ? hint : "declare it first: 'acl " + name + " <criterion> <patterns>'");
                } else if (declared.stream().allMatch(a -> a.line() > use.line())) {
                    ctx.out().error(use.line(), column, p.kind() + " '" + p.name() + "': ACL '" + name
                            + "' is used before it is declared on line " + declared.getFirst().line()
                            + " (expected: the acl line above every rule that uses it)",
                            "move 'acl " + name + " …' above line " + use.line());
                }
            }
        }
    }

    /** {@code http_auth(<userlist>)} and {@code nbsrv(<backend>)} name other sections. */
    private void checkFetchArguments(Context.Proxy p, Context.Test t) {
        String fetch = t.test().fetch().name();
        String arg = t.test().fetch().arg(0);
        if (fetch.equals("http_auth") || fetch.equals("http_auth_group")) {
            List<String> userlists = ctx.config().userlists().stream().map(Userlist::name).distinct().toList();
            if (arg == null || arg.isEmpty()) {
                ctx.out().error(t.line(), ctx.positions().find(t.line(), fetch), p.kind() + " '" + p.name()
                        + "': " + fetch + " needs a userlist (expected: " + fetch + "(<userlist>))",
                        userlists.isEmpty() ? "declare a 'userlist' section" : "e.g. " + fetch + "(" + userlists.getFirst() + ")");
            } else if (ctx.config().userlist(arg).isEmpty()) {
                String hint = Names.didYouMean(arg, userlists);
                ctx.out().error(t.line(), ctx.positions().find(t.line(), arg), p.kind() + " '" + p.name()
                        + "': no such userlist '" + arg + "' in " + fetch + "(" + arg + ") (expected: one of "
                        + Names.list(userlists) + ")",
                        hint != null ? hint : "declare 'userlist " + arg + "' with its users");
            }
        } else if (fetch.equals("nbsrv") && arg != null && !arg.isEmpty() && ctx.config().backend(arg).isEmpty()) {
            String hint = Names.didYouMean(arg, backendNames);
            ctx.out().error(t.line(), ctx.positions().find(t.line(), arg), p.kind() + " '" + p.name()
                    + "': no such backend '" + arg + "' in nbsrv(" + arg + ") (expected: one of the backends: "
                    + Names.list(backendNames) + ")", hint != null ? hint : "declare 'backend " + arg + "' or fix the name");
        }
    }

    private static String kind(Frontend f) {
        return f.listen() ? "listen" : "frontend";
    }
}
