package io.flagman.proxy.balance;

import io.flagman.config.model.Balance;
import io.flagman.proxy.rule.SampleSource;
import io.flagman.proxy.rule.Samples;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Builds the {@link LoadBalancer} of a backend from its {@code balance} line. Servers are tried in two tiers, as in
 * HAProxy: the active servers, and only when none of them is eligible the backups (the first eligible backup in
 * declaration order, or all of them with the same algorithm under {@code option allbackups}). A server is eligible
 * when {@link Candidate#usable()} and its weight is positive; the balancer returns null when none is.
 */
public final class LoadBalancers {

    private LoadBalancers() {}

    /** The balancer for {@code balance} over {@code servers} (declaration order), backups used one at a time. */
    public static LoadBalancer create(Balance balance, List<? extends Candidate> servers) {
        return create(balance, servers, false);
    }

    /**
     * The balancer for {@code balance} over {@code servers} in declaration order.
     *
     * @param allBackups {@code option allbackups}: balance over every backup instead of using the first one
     */
    public static LoadBalancer create(Balance balance, List<? extends Candidate> servers, boolean allBackups) {
        Balance b = balance == null ? Balance.ROUND_ROBIN : balance;
        List<Candidate> active = new ArrayList<>();
        List<Candidate> backup = new ArrayList<>();
        for (Candidate c : servers) {
            (c.backup() ? backup : active).add(c);
        }
        Function<Candidate[], Group> factory = groupFactory(b);
        Group activeGroup = factory.apply(active.toArray(Candidate[]::new));
        Candidate[] backups = backup.toArray(Candidate[]::new);
        Group backupGroup = allBackups ? factory.apply(backups) : new FirstGroup(backups);
        return new TieredBalancer(activeGroup, backups.length == 0 ? null : backupGroup);
    }

    private static Function<Candidate[], Group> groupFactory(Balance balance) {
        String arg = balance.argument();
        return switch (balance.algorithm()) {
            case ROUNDROBIN -> s -> new RoundRobinGroup(s, false);
            case STATIC_RR -> s -> new RoundRobinGroup(s, true);
            case LEASTCONN -> LeastConnGroup::new;
            case FIRST -> FirstGroup::new;
            case SOURCE -> s -> new HashGroup(s, LoadBalancers::sourceKey);
            case URI -> s -> new HashGroup(s, LoadBalancers::uriKey);
            case URL_PARAM -> {
                String param = firstWord(arg, "url_param");
                yield s -> new HashGroup(s, r -> stringKey(Samples.urlParam(r.uri(), param, '&')));
            }
            case HDR -> {
                String header = firstWord(arg, "hdr(<name>)");
                yield s -> new HashGroup(s, r -> stringKey(Samples.headerValue(r.headerValues(header), 1, true)));
            }
            case RANDOM -> {
                int draws = draws(arg);
                yield s -> new RandomGroup(s, draws);
            }
        };
    }

    private static String firstWord(String arg, String what) {
        if (arg == null || arg.isBlank()) {
            throw new IllegalArgumentException("balance " + what + " needs an argument");
        }
        return arg.strip().split("\\s+")[0];
    }

    private static int draws(String arg) {
        if (arg == null || arg.isBlank()) {
            return 2;
        }
        try {
            return Math.max(1, Integer.parseInt(arg.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("balance random(<draws>): invalid draws '" + arg + "'", e);
        }
    }

    private static long sourceKey(SampleSource r) {
        InetSocketAddress a = r.source();
        if (a == null || a.getAddress() == null) {
            return HashGroup.NO_KEY;
        }
        // InetAddress.hashCode() is derived from the address bytes only: stable across runs and JVMs.
        return a.getAddress().hashCode() & 0xffffffffL;
    }

    /** HAProxy's {@code balance uri}: the request-target up to the first '?'. */
    private static long uriKey(SampleSource r) {
        String uri = r.uri();
        if (uri == null) {
            return HashGroup.NO_KEY;
        }
        int q = uri.indexOf('?');
        int end = q < 0 ? uri.length() : q;
        int h = 0;
        for (int i = 0; i < end; i++) {
            h = 31 * h + uri.charAt(i);
        }
        return h & 0xffffffffL;
    }

    private static long stringKey(String value) {
        return value == null ? HashGroup.NO_KEY : value.hashCode() & 0xffffffffL;
    }

    /** Active tier first, backups only when no active server is eligible. */
    private record TieredBalancer(Group active, Group backup) implements LoadBalancer {
        @Override
        public Candidate pick(SampleSource request) {
            Candidate c = active.pick(request);
            if (c != null || backup == null) {
                return c;
            }
            return backup.pick(request);
        }
    }
}
