package io.flagman.proxy.rule;

import io.flagman.config.model.Acl;
import io.flagman.config.model.AclTest;
import io.flagman.config.model.Condition;
import io.flagman.config.parse.PredefinedAcls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles {@code if|unless} conditions and ACL tests into {@link RequestPredicate}s, once per snapshot: regexes,
 * networks, lowercased patterns and hash sets are built here, so evaluation on the event loop only compares.
 * Configuration mistakes (unknown ACL, fetch or converter, bad pattern, unreadable {@code -f} file) throw
 * {@link IllegalArgumentException}; the validator normally rejects such configs before they get here.
 */
public final class Conditions {

    /** HAProxy's predefined ACLs, compiled on first use; they never change. */
    private static final Map<String, RequestPredicate> PREDEFINED = new ConcurrentHashMap<>();

    private Conditions() {}

    /**
     * The predicate of {@code condition}: an OR of AND groups of possibly negated terms, negated as a whole for
     * {@code unless}. A named term is the OR of every {@code acl} line of that name in {@code acls} (the proxy's
     * own ACLs), or else one of HAProxy's predefined ACLs ({@code LOCALHOST}, {@code METH_GET}, {@code TRUE}…).
     *
     * @param condition the condition, or null for an unconditional rule ({@link RequestPredicate#ALWAYS})
     */
    public static RequestPredicate compile(Condition condition, List<Acl> acls) {
        if (condition == null) {
            return RequestPredicate.ALWAYS;
        }
        Map<String, RequestPredicate> named = new HashMap<>();
        List<RequestPredicate> alternatives = new ArrayList<>();
        for (List<Condition.Term> group : condition.alternatives()) {
            List<RequestPredicate> terms = new ArrayList<>();
            for (Condition.Term term : group) {
                RequestPredicate p = term.aclName() != null
                        ? named.computeIfAbsent(term.aclName(), name -> named(name, acls))
                        : compile(term.anonymous());
                terms.add(term.negated() ? negate(p) : p);
            }
            alternatives.add(and(terms));
        }
        RequestPredicate any = or(alternatives);
        return condition.unless() ? negate(any) : any;
    }

    /** The predicate of one ACL test (one {@code acl} line, or an anonymous {@code { … }} ACL). */
    public static RequestPredicate compile(AclTest test) {
        return AclCompiler.compile(test);
    }

    private static RequestPredicate named(String name, List<Acl> acls) {
        List<RequestPredicate> lines = new ArrayList<>();
        for (Acl acl : acls) {
            if (acl.name().equals(name)) {
                lines.add(compile(acl.test()));
            }
        }
        if (!lines.isEmpty()) {
            return or(lines);
        }
        return PREDEFINED.computeIfAbsent(name, n -> {
            AclTest test = PredefinedAcls.get(n);
            if (test == null) {
                throw new IllegalArgumentException("unknown ACL '" + n + "'");
            }
            return compile(test);
        });
    }

    private static RequestPredicate negate(RequestPredicate p) {
        return s -> !p.test(s);
    }

    private static RequestPredicate and(List<RequestPredicate> terms) {
        if (terms.size() == 1) {
            return terms.getFirst();
        }
        if (terms.size() == 2) {
            RequestPredicate a = terms.get(0);
            RequestPredicate b = terms.get(1);
            return s -> a.test(s) && b.test(s);
        }
        RequestPredicate[] all = terms.toArray(RequestPredicate[]::new);
        return s -> {
            for (RequestPredicate p : all) {
                if (!p.test(s)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static RequestPredicate or(List<RequestPredicate> terms) {
        if (terms.isEmpty()) {
            return s -> false;
        }
        if (terms.size() == 1) {
            return terms.getFirst();
        }
        RequestPredicate[] any = terms.toArray(RequestPredicate[]::new);
        return s -> {
            for (RequestPredicate p : any) {
                if (p.test(s)) {
                    return true;
                }
            }
            return false;
        };
    }
}
