package io.flagman.proxy;

import io.flagman.config.auth.BasicCredentials;
import io.flagman.config.auth.CredentialCache;
import io.flagman.config.auth.Crypt;
import io.flagman.config.model.Acl;
import io.flagman.config.model.AclTest;
import io.flagman.config.model.Balance;
import io.flagman.config.model.Condition;
import io.flagman.config.model.LogFormat;
import io.flagman.config.model.Userlist;
import io.flagman.proxy.balance.Candidate;
import io.flagman.proxy.balance.LoadBalancer;
import io.flagman.proxy.balance.LoadBalancers;
import io.flagman.proxy.rule.CompiledLogFormat;
import io.flagman.proxy.rule.Conditions;
import io.flagman.proxy.rule.LogFormats;
import io.flagman.proxy.rule.RequestPredicate;
import io.flagman.proxy.rule.SampleSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place where the data plane calls the rule engine (io.flagman.proxy.rule / .balance). It adds the one
 * fetch that needs configuration the rule engine does not see: {@code http_auth(<userlist>)}, checked here
 * against the snapshot's userlists ({@code insecure-password} and crypt(3) {@code password} users). The header is
 * parsed by {@link BasicCredentials} and checked by {@link Crypt#matches}, the same code as the Data Plane
 * API's. Each {@code http_auth} test keeps a {@link CredentialCache} (lock-free, bounded, built anew with each
 * snapshot): a client that repeats its credentials costs one SHA-256, not one crypt, per request, and a value
 * longer than {@link BasicCredentials#MAX_HEADER_LENGTH} is refused without hashing anything. Compilation errors
 * surface as {@link ApplyException}.
 */
public final class Rules {
    private Rules() {}

    public static RequestPredicate predicate(Condition condition, List<Acl> acls, List<Userlist> userlists,
            String where) throws ApplyException {
        try {
            if (condition == null || !mentionsAuth(condition, acls)) {
                return Conditions.compile(condition, acls);
            }
            List<List<RequestPredicate>> groups = new ArrayList<>();
            for (List<Condition.Term> and : condition.alternatives()) {
                List<RequestPredicate> terms = new ArrayList<>();
                for (Condition.Term t : and) {
                    terms.add(term(t, acls, userlists));
                }
                groups.add(List.copyOf(terms));
            }
            boolean unless = condition.unless();
            return s -> {
                boolean any = false;
                for (List<RequestPredicate> and : groups) {
                    boolean all = true;
                    for (RequestPredicate p : and) {
                        if (!p.test(s)) {
                            all = false;
                            break;
                        }
                    }
                    if (all) {
                        any = true;
                        break;
                    }
                }
                return any != unless;
            };
        } catch (RuntimeException e) {
            throw new ApplyException(where + ": " + e.getMessage(), e);
        }
    }

    private static boolean mentionsAuth(Condition c, List<Acl> acls) {
        for (List<Condition.Term> and : c.alternatives()) {
            for (Condition.Term t : and) {
                if (t.anonymous() != null ? isAuth(t.anonymous()) : acls.stream()
                        .anyMatch(a -> a.name().equals(t.aclName()) && isAuth(a.test()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isAuth(AclTest test) {
        String name = test.fetch().name();
        return name.equals("http_auth") || name.equals("http_auth_group");
    }

    private static RequestPredicate term(Condition.Term t, List<Acl> acls, List<Userlist> userlists) {
        RequestPredicate p;
        if (t.anonymous() != null) {
            p = test(t.anonymous(), userlists);
        } else {
            List<RequestPredicate> any = new ArrayList<>();
            for (Acl a : acls) {
                if (a.name().equals(t.aclName())) {
                    any.add(test(a.test(), userlists));
                }
            }
            if (any.isEmpty()) {
                p = Conditions.compile(new Condition(false, List.of(List.of(
                        new Condition.Term(false, t.aclName(), null))), t.aclName()), acls);
            } else {
                p = s -> {
                    for (RequestPredicate x : any) {
                        if (x.test(s)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
        }
        RequestPredicate q = p;
        return t.negated() ? s -> !q.test(s) : q;
    }

    private static RequestPredicate test(AclTest test, List<Userlist> userlists) {
        if (!isAuth(test)) {
            return Conditions.compile(test);
        }
        String name = test.fetch().arg(0);
        Userlist list = userlists.stream().filter(u -> u.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("http_auth: unknown userlist '" + name + "'"));
        CredentialCache cache = new CredentialCache(CredentialCache.DEFAULT_CAPACITY, c -> matches(c, list));
        if (test.fetch().name().equals("http_auth")) {
            return s -> authorized(s, cache) != null;
        }
        // http_auth_group(<userlist>) <group>...: authenticated, and a member of one of the groups the ACL names
        // (the user's own "groups" list or the group's "users" list, as HAProxy reads both).
        List<String> groups = test.patterns();
        return s -> {
            BasicCredentials c = authorized(s, cache);
            return c != null && groups.stream().anyMatch(g -> inGroup(list, c.user(), g));
        };
    }

    /** The request's verified credentials, or null when it has none or they do not match a user of the list. */
    private static BasicCredentials authorized(SampleSource s, CredentialCache cache) {
        List<String> values = s.headerValues("authorization");
        if (values.size() != 1) {
            return null;
        }
        String header = values.get(0);
        Optional<BasicCredentials> credentials = BasicCredentials.parse(header);
        return credentials.isPresent() && cache.verify(header, credentials.get()) ? credentials.get() : null;
    }

    private static boolean inGroup(Userlist list, String user, String group) {
        return list.user(user).map(u -> u.groups().contains(group)).orElse(false)
                || list.groups().stream().anyMatch(g -> g.name().equals(group) && g.users().contains(user));
    }

    private static boolean matches(BasicCredentials c, Userlist list) {
        Optional<Userlist.User> user = list.user(c.user());
        if (user.isEmpty()) {
            Crypt.verify(c.password(), UNKNOWN_USER_HASH); // the same work as for a known user: no user enumeration
            return false;
        }
        return Crypt.matches(c.password(), user.get().password(), user.get().secure());
    }

    /** Checked against for unknown users so that their answer costs what a known user's does. */
    private static final String UNKNOWN_USER_HASH = Crypt.crypt("flagman-unknown-user", "$6$flagmanunknown");

    public static CompiledLogFormat format(LogFormat format, String where) throws ApplyException {
        try {
            return LogFormats.compile(format);
        } catch (RuntimeException e) {
            throw new ApplyException(where + ": " + e.getMessage(), e);
        }
    }

    public static LoadBalancer balancer(Balance balance, List<? extends Candidate> servers) {
        return LoadBalancers.create(balance, servers);
    }
}
