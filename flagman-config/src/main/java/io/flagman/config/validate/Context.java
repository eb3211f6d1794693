package io.flagman.config.validate;

import io.flagman.config.model.Acl;
import io.flagman.config.model.AclTest;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Condition;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.UseBackend;
import io.flagman.config.model.UseServer;
import io.flagman.config.text.Diagnostics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What every rule of one validation run reads and writes. Not thread-safe: one per run. */
record Context(Config config, Diagnostics out, Positions positions, Path baseDir) {

    /** A condition and the line of the rule it belongs to. */
    record Use(Condition condition, int line) {}

    /** An ACL test (named or anonymous) and the line it was written on. */
    record Test(AclTest test, int line) {}

    /**
     * One proxy as HAProxy sees it for ACL scoping: a frontend, a backend, or both halves of a listen section.
     */
    record Proxy(String kind, String name, int line, List<Acl> acls, List<Use> uses) {

        List<Test> tests() {
            List<Test> tests = new ArrayList<>();
            for (Acl acl : acls) {
                tests.add(new Test(acl.test(), acl.line()));
            }
            for (Use use : uses) {
                for (List<Condition.Term> and : use.condition().alternatives()) {
                    for (Condition.Term term : and) {
                        if (term.anonymous() != null) {
                            tests.add(new Test(term.anonymous(), use.line()));
                        }
                    }
                }
            }
            return tests;
        }
    }

    /** Every frontend, backend and listen section once, with its ACLs and the conditions that use them. */
    List<Proxy> proxies() {
        List<Proxy> proxies = new ArrayList<>();
        for (Frontend f : config.frontends()) {
            List<Acl> acls = new ArrayList<>(f.acls());
            List<Use> uses = new ArrayList<>();
            addRules(uses, f.httpRequestRules());
            addRules(uses, f.httpResponseRules());
            addRules(uses, f.redirectRules());
            for (UseBackend u : f.useBackends()) {
                add(uses, u.condition(), u.line());
            }
            if (f.listen()) {
                Backend half = config.backends().stream()
                        .filter(b -> b.listen() && b.name().equals(f.name()) && b.line() == f.line())
                        .findFirst().orElse(null);
                if (half != null) {
                    addBackendSide(acls, uses, half);
                }
            }
            proxies.add(new Proxy(f.listen() ? "listen" : "frontend", f.name(), f.line(), acls, uses));
        }
        for (Backend b : config.backends()) {
            if (b.listen()) {
                continue;
            }
            List<Acl> acls = new ArrayList<>();
            List<Use> uses = new ArrayList<>();
            addBackendSide(acls, uses, b);
            proxies.add(new Proxy("backend", b.name(), b.line(), acls, uses));
        }
        return proxies;
    }

    private static void addBackendSide(List<Acl> acls, List<Use> uses, Backend b) {
        for (Acl acl : b.acls()) {
            if (!acls.contains(acl)) {
                acls.add(acl);
            }
        }
        addRules(uses, b.httpRequestRules());
        addRules(uses, b.httpResponseRules());
        addRules(uses, b.redirectRules());
        for (UseServer u : b.useServers()) {
            add(uses, u.condition(), u.line());
        }
    }

    private static void addRules(List<Use> uses, List<HttpRule> rules) {
        for (HttpRule r : rules) {
            add(uses, r.condition(), r.line());
        }
    }

    private static void add(List<Use> uses, Condition condition, int line) {
        Use use = new Use(condition, line);
        if (condition != null && !uses.contains(use)) {
            uses.add(use);
        }
    }
}
