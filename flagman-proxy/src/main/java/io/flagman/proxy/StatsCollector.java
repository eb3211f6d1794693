package io.flagman.proxy;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.BindAddress;
import io.flagman.config.model.Mode;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.model.Server;
import io.flagman.proxy.listen.Listener;
import io.flagman.proxy.stats.Counters;
import io.flagman.proxy.stats.ModuleField;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import io.flagman.proxy.stats.StatRow;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a snapshot's live state into {@code show stat} rows: per proxy in configuration order, {@code FRONTEND},
 * servers, {@code BACKEND} ({@code listen} sections both). Proxy ids count from 2 in configuration order (HAProxy
 * 3.2's first user proxy is 2, observed); server ids from 1 in their backend.
 */
final class StatsCollector {
    /** HAProxy numbers the first user proxy 2. */
    static final int FIRST_PROXY_ID = 2;

    private StatsCollector() {}

    /** A proxy of the configuration: a frontend, a backend or both (a {@code listen}). */
    record Proxy(String name, int iid, Frontend frontend, Backend backend, int line) {}

    /** The proxies of {@code config} in configuration order, with their ids. */
    static List<Proxy> proxies(Config config) {
        Map<String, Frontend> fronts = new LinkedHashMap<>();
        Map<String, Backend> backs = new LinkedHashMap<>();
        List<String[]> order = new ArrayList<>();
        for (Frontend f : config.frontends()) {
            fronts.put(f.name(), f);
            order.add(new String[] {f.name(), Integer.toString(f.line())});
        }
        for (Backend b : config.backends()) {
            backs.put(b.name(), b);
            if (!(b.listen() && fronts.containsKey(b.name()))) {
                order.add(new String[] {b.name(), Integer.toString(b.line())});
            }
        }
        order.sort(Comparator.comparingInt(a -> Integer.parseInt(a[1])));
        List<Proxy> out = new ArrayList<>(order.size());
        for (String[] o : order) {
            Frontend f = fronts.get(o[0]);
            Backend b = backs.get(o[0]);
            if (f != null && b != null && !(f.listen() && b.listen())) {
                // A frontend and a backend of the same name are two proxies; HAProxy refuses that, the validator too.
                b = null;
            }
            out.add(new Proxy(o[0], FIRST_PROXY_ID + out.size(), f, b, Integer.parseInt(o[1])));
        }
        return out;
    }

    static List<StatRow> rows(Snapshot snapshot, Function<String, List<Listener>> listeners) {
        long now = System.nanoTime();
        List<StatRow> rows = new ArrayList<>();
        for (Proxy p : proxies(snapshot.config())) {
            FrontendRuntime fr = p.frontend() == null ? null : snapshot.frontend(p.name());
            BackendRuntime br = p.backend() == null ? null : snapshot.backend(p.name());
            if (fr != null) {
                rows.add(frontend(p, fr, snapshot.config(), now));
                if (fr.config().has(ProxyOption.SOCKET_STATS)) {
                    List<Listener> ls = listeners.apply(p.name());
                    for (int i = 0; i < ls.size(); i++) {
                        rows.add(listener(p, fr, ls.get(i), i + 1, snapshot.config(), now));
                    }
                }
            }
            if (br != null) {
                for (ServerEndpoint e : br.servers()) {
                    rows.add(server(p, br, e, now));
                }
                rows.add(backend(p, br, snapshot.config(), now));
            }
        }
        return rows;
    }

    private static String mode(Mode m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private static StatRow frontend(Proxy p, FrontendRuntime f, Config config, long now) {
        boolean http = f.mode() == Mode.HTTP;
        Counters.Totals t = f.counters().read(now);
        StatRow.Builder b = StatRow.builder(StatObject.FRONTEND, p.name(), "FRONTEND", p.iid(), 0);
        int slim = f.config().maxconn() > 0 ? f.config().maxconn() : config.global().maxconn();
        b.set(StatField.SCUR, t.current()).set(StatField.SMAX, t.maxCurrent())
                .set(StatField.STOT, t.count(Counters.SESSIONS))
                .set(StatField.BIN, t.count(Counters.BYTES_IN)).set(StatField.BOUT, t.count(Counters.BYTES_OUT))
                .set(StatField.DREQ, t.count(Counters.DENIED_REQ)).set(StatField.DRESP, t.count(Counters.DENIED_RESP))
                .set(StatField.EREQ, t.count(Counters.REQ_ERRORS))
                .set(StatField.STATUS, f.config().disabled() ? "STOP" : "OPEN")
                .set(StatField.RATE, t.rate(Counters.RATE_SESSIONS)).set(StatField.RATE_LIM, 0)
                .set(StatField.RATE_MAX, t.rateMax(Counters.RATE_SESSIONS))
                .set(StatField.MODE, mode(f.mode()))
                .set(StatField.CONN_RATE, t.rate(Counters.RATE_CONNECTIONS))
                .set(StatField.CONN_RATE_MAX, t.rateMax(Counters.RATE_CONNECTIONS))
                .set(StatField.CONN_TOT, t.count(Counters.CONNECTIONS))
                .set(StatField.DCON, t.count(Counters.DENIED_CONN)).set(StatField.DSES, t.count(Counters.DENIED_SESS))
                .set(StatField.WREW, 0).set(StatField.EINT, t.count(Counters.INTERNAL_ERRORS));
        if (slim > 0) {
            b.set(StatField.SLIM, slim);
        }
        if (http) {
            responses(b, t);
            b.set(StatField.INTERCEPTED, t.count(Counters.INTERCEPTED)); // empty in TCP mode, as HAProxy's
            b.set(StatField.REQ_RATE, t.rate(Counters.RATE_REQUESTS))
                    .set(StatField.REQ_RATE_MAX, t.rateMax(Counters.RATE_REQUESTS))
                    .set(StatField.REQ_TOT, t.count(Counters.REQUESTS));
            for (StatField c : CACHE_COMP) {
                b.set(c, 0);
            }
            for (StatField s : PROTOCOLS) {
                b.set(s, 0);
            }
            // HTTP/1 only: every session and request is an HTTP/1 one.
            b.set(StatField.H1SESS, t.count(Counters.SESSIONS)).set(StatField.H1REQ, t.count(Counters.REQUESTS));
        }
        b.zeroModules();
        if (http) {
            b.set(ModuleField.H1_TOTAL_CONNECTIONS, t.count(Counters.CONNECTIONS))
                    .set(ModuleField.H1_TOTAL_STREAMS, t.count(Counters.REQUESTS))
                    .set(ModuleField.H1_OPEN_CONNECTIONS, t.current())
                    .set(ModuleField.H1_BYTES_IN, t.count(Counters.BYTES_IN))
                    .set(ModuleField.H1_BYTES_OUT, t.count(Counters.BYTES_OUT));
        }
        return b.build();
    }

    private static void responses(StatRow.Builder b, Counters.Totals t) {
        for (int i = 0; i < HRSP.size(); i++) {
            b.set(HRSP.get(i), t.count(Counters.HRSP_1XX + i));
        }
    }

    /** The cells of backends and servers alike: queue, sessions, bytes, errors, warnings, times. */
    private static void common(StatRow.Builder b, Counters.Totals t, boolean http, long now) {
        b.set(StatField.STOT, t.count(Counters.SESSIONS))
                .set(StatField.BIN, t.count(Counters.BYTES_IN)).set(StatField.BOUT, t.count(Counters.BYTES_OUT))
                .set(StatField.DRESP, t.count(Counters.DENIED_RESP))
                .set(StatField.ECON, t.count(Counters.CONN_ERRORS)).set(StatField.ERESP, t.count(Counters.RESP_ERRORS))
                .set(StatField.WRETR, t.count(Counters.RETRIES)).set(StatField.WREDIS, t.count(Counters.REDISPATCHES))
                .set(StatField.LBTOT, t.count(Counters.LB_SELECTED))
                .set(StatField.RATE, t.rate(Counters.RATE_SESSIONS))
                .set(StatField.RATE_MAX, t.rateMax(Counters.RATE_SESSIONS))
                .set(StatField.CLI_ABRT, t.count(Counters.CLI_ABORTS))
                .set(StatField.SRV_ABRT, t.count(Counters.SRV_ABORTS))
                .set(StatField.LASTSESS, t.lastSessionNanos() == 0 ? -1 : seconds(now - t.lastSessionNanos()))
                .set(StatField.QTIME, t.averageTime(Counters.T_QUEUE))
                .set(StatField.CTIME, t.averageTime(Counters.T_CONNECT))
                .set(StatField.RTIME, t.averageTime(Counters.T_RESPONSE))
                .set(StatField.TTIME, t.averageTime(Counters.T_TOTAL))
                .set(StatField.WREW, 0)
                .set(StatField.REUSE, t.count(Counters.REUSE))
                .set(StatField.QTIME_MAX, t.maxTime(Counters.T_QUEUE))
                .set(StatField.CTIME_MAX, t.maxTime(Counters.T_CONNECT))
                .set(StatField.RTIME_MAX, t.maxTime(Counters.T_RESPONSE))
                .set(StatField.TTIME_MAX, t.maxTime(Counters.T_TOTAL))
                .set(StatField.EINT, t.count(Counters.INTERNAL_ERRORS));
        if (http) {
            responses(b, t);
            b.set(StatField.REQ_TOT, t.count(Counters.REQUESTS));
        }
    }

    static long seconds(long nanos) {
        return Math.max(0, nanos / 1_000_000_000L);
    }

    /** A bind of a frontend with {@code option socket-stats}: {@code svname} is its {@code name}, else sock-N. */
    private static StatRow listener(Proxy p, FrontendRuntime f, Listener l, int sid, Config config, long now) {
        Counters.Totals t = l.counters().read(now);
        String name = l.bind().name() != null ? l.bind().name() : "sock-" + sid;
        StatRow.Builder b = StatRow.builder(StatObject.LISTENER, p.name(), name, p.iid(), sid);
        int slim = l.maxconn() > 0 ? l.maxconn()
                : f.config().maxconn() > 0 ? f.config().maxconn() : config.global().maxconn();
        b.set(StatField.SCUR, t.current()).set(StatField.SMAX, t.maxCurrent())
                .set(StatField.STOT, t.count(Counters.SESSIONS))
                .set(StatField.BIN, t.count(Counters.BYTES_IN)).set(StatField.BOUT, t.count(Counters.BYTES_OUT))
                .set(StatField.DREQ, t.count(Counters.DENIED_REQ)).set(StatField.DRESP, t.count(Counters.DENIED_RESP))
                .set(StatField.EREQ, t.count(Counters.REQ_ERRORS))
                .set(StatField.STATUS, l.draining() ? "STOP" : slim > 0 && t.current() >= slim ? "FULL" : "OPEN")
                .set(StatField.MODE, mode(f.mode()))
                .set(StatField.CONN_TOT, t.count(Counters.CONNECTIONS))
                .set(StatField.DCON, t.count(Counters.DENIED_CONN)).set(StatField.DSES, t.count(Counters.DENIED_SESS))
                .set(StatField.WREW, 0).set(StatField.EINT, t.count(Counters.INTERNAL_ERRORS))
                .set(StatField.PROTO, proto(l));
        if (slim > 0) {
            b.set(StatField.SLIM, slim);
        }
        List<java.net.InetSocketAddress> addrs = l.addresses();
        if (!addrs.isEmpty()) {
            b.set(StatField.ADDR, address(addrs.get(0)));
        } else if (l.bind().address().family() == BindAddress.Family.UNIX) {
            b.set(StatField.ADDR, "unix");
        }
        for (ModuleField m : ModuleField.ALL) {
            if (m.appliesTo(StatObject.LISTENER)) {
                b.set(m, 0);
            }
        }
        return b.build();
    }

    private static String proto(Listener l) {
        return switch (l.bind().address().family()) {
            case UNIX -> "unix_stream";
            case IPV6 -> "tcpv6";
            case ANY, IPV4 -> {
                List<java.net.InetSocketAddress> a = l.addresses();
                yield !a.isEmpty() && a.get(0).getAddress() instanceof java.net.Inet6Address ? "tcpv6" : "tcpv4";
            }
        };
    }

    static final List<StatField> HRSP = List.of(StatField.HRSP_1XX, StatField.HRSP_2XX, StatField.HRSP_3XX,
            StatField.HRSP_4XX, StatField.HRSP_5XX, StatField.HRSP_OTHER);
    private static final List<StatField> CACHE_COMP = List.of(StatField.COMP_IN, StatField.COMP_OUT,
            StatField.COMP_BYP, StatField.COMP_RSP, StatField.CACHE_LOOKUPS, StatField.CACHE_HITS);
    private static final List<StatField> PROTOCOLS = List.of(StatField.SESS_OTHER, StatField.H1SESS,
            StatField.H2SESS, StatField.H3SESS, StatField.REQ_OTHER, StatField.H1REQ, StatField.H2REQ,
            StatField.H3REQ);

    private static StatRow server(Proxy p, BackendRuntime br, ServerEndpoint e, long now) {
        ServerState s = e.state();
        Server cfg = e.server();
        Counters.Totals t = s.counters().read(now);
        StatRow.Builder b = StatRow.builder(StatObject.SERVER, p.name(), e.name(), p.iid(), e.index() + 1);
        common(b, t, br.mode() == Mode.HTTP, now);
        int idle = s.pool().idleCount();
        int safe = s.pool().safeCount();
        b.set(StatField.QCUR, 0).set(StatField.QMAX, 0)
                .set(StatField.SCUR, s.activeConnections()).set(StatField.SMAX, s.maxActive())
                .set(StatField.STATUS, ServerStatus.of(e))
                .set(StatField.WEIGHT, e.weight())
                .set(StatField.ACT, cfg.backup() ? 0 : 1).set(StatField.BCK, cfg.backup() ? 1 : 0)
                .set(StatField.LASTCHG, seconds(now - s.lastChangeNanos()))
                .set(StatField.ADDR, address(e))
                .set(StatField.MODE, mode(br.mode()))
                .set(StatField.CONNECT, t.count(Counters.CONNECT))
                .set(StatField.SRV_ICUR, idle)
                .set(StatField.IDLE_CONN_CUR, idle - safe).set(StatField.SAFE_CONN_CUR, safe)
                .set(StatField.USED_CONN_CUR, s.activeConnections())
                .set(StatField.NEED_CONN_EST, s.activeConnections())
                .set(StatField.UWEIGHT, e.weight())
                .set(StatField.SRID, 0);
        if (cfg.maxconn() > 0) {
            b.set(StatField.SLIM, cfg.maxconn());
        }
        ServerState.CheckReport check = s.lastCheck();
        if (cfg.check() && check != null) {
            b.set(StatField.CHKFAIL, s.failedChecks()).set(StatField.CHKDOWN, s.downTransitions())
                    .set(StatField.DOWNTIME, seconds(s.downtimeNanos(now)));
            if (s.adminState() != ServerState.AdminState.MAINT) {
                b.set(StatField.CHECK_STATUS, check.status());
                if (check.code() > 0) {
                    b.set(StatField.CHECK_CODE, check.code());
                }
                if (check.durationMillis() >= 0) {
                    b.set(StatField.CHECK_DURATION, check.durationMillis());
                }
                b.set(StatField.CHECK_DESC, check.description());
            }
            if (check.info() != null && !check.status().endsWith("OK")) {
                b.set(StatField.LAST_CHK, check.info());
            }
            b.set(StatField.CHECK_RISE, cfg.rise()).set(StatField.CHECK_FALL, cfg.fall())
                    .set(StatField.CHECK_HEALTH, s.checkHealth());
        }
        for (ModuleField m : ModuleField.ALL) {
            if (m.appliesTo(StatObject.SERVER)) {
                b.set(m, 0);
            }
        }
        return b.build();
    }

    static String address(ServerEndpoint e) {
        return address(e.address());
    }

    static String address(java.net.InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /**
     * A backend's {@code fullconn} as HAProxy defaults it: a tenth (rounded up) of the maxconn of the frontends
     * that can route to it; 0 when none has one.
     */
    static int fullconn(Config config, String backend) {
        long sum = 0;
        for (Frontend f : config.frontends()) {
            boolean reaches = backend.equals(f.defaultBackend())
                    || f.useBackends().stream().anyMatch(u -> backend.equals(u.backend()));
            if (reaches) {
                sum += f.maxconn() > 0 ? f.maxconn() : config.global().maxconn();
            }
        }
        return (int) ((sum + 9) / 10);
    }

    private static StatRow backend(Proxy p, BackendRuntime br, Config config, long now) {
        boolean http = br.mode() == Mode.HTTP;
        Counters.Totals t = br.counters().read(now);
        StatRow.Builder b = StatRow.builder(StatObject.BACKEND, p.name(), "BACKEND", p.iid(), 0);
        common(b, t, http, now);
        long econ = 0;
        long eresp = 0;
        long wretr = 0;
        long wredis = 0;
        long connect = 0;
        long inFlight = 0;
        long open = 0;
        long lastChange = Long.MIN_VALUE;
        int active = 0;
        int weight = 0;
        int backup = 0;
        int backupWeight = 0;
        for (ServerEndpoint e : br.servers()) {
            ServerState s = e.state();
            Counters.Totals st = s.counters().read(now);
            // Connection-level events are counted on the server only; the backend's cells are their sums.
            econ += st.count(Counters.CONN_ERRORS);
            eresp += st.count(Counters.RESP_ERRORS);
            wretr += st.count(Counters.RETRIES);
            wredis += st.count(Counters.REDISPATCHES);
            connect += st.count(Counters.CONNECT);
            inFlight += s.activeConnections();
            open += s.activeConnections() + s.pool().idleCount();
            lastChange = Math.max(lastChange, s.lastChangeNanos());
            if (e.available()) {
                if (e.backup()) {
                    backup++;
                    backupWeight += e.weight();
                } else {
                    active++;
                    weight += e.weight();
                }
            }
        }
        int effective = active > 0 ? weight : backupWeight;
        b.set(StatField.QCUR, br.queue().size()).set(StatField.QMAX, br.queue().maxSize())
                .set(StatField.SCUR, t.current()).set(StatField.SMAX, t.maxCurrent())
                .set(StatField.DREQ, t.count(Counters.DENIED_REQ))
                .set(StatField.ECON, econ).set(StatField.ERESP, eresp + t.count(Counters.RESP_ERRORS))
                .set(StatField.WRETR, wretr).set(StatField.WREDIS, wredis)
                .set(StatField.STATUS, effective > 0 || br.servers().isEmpty() ? "UP" : "DOWN")
                .set(StatField.WEIGHT, effective).set(StatField.ACT, active).set(StatField.BCK, backup)
                .set(StatField.MODE, mode(br.mode()))
                .set(StatField.ALGO, p.backend().balance().algorithm().keyword())
                .set(StatField.CONNECT, connect)
                .set(StatField.UWEIGHT, effective)
                .set(StatField.AGG_SERVER_STATUS, 0).set(StatField.AGG_SERVER_CHECK_STATUS, 0)
                .set(StatField.AGG_CHECK_STATUS, 0);
        int fullconn = fullconn(config, p.name());
        if (fullconn > 0) {
            b.set(StatField.SLIM, fullconn);
        }
        if (!br.servers().isEmpty()) {
            // The backend's own UP to DOWN transitions are not tracked (yet): 0, whatever its servers did.
            b.set(StatField.CHKDOWN, 0).set(StatField.LASTCHG, seconds(now - lastChange))
                    .set(StatField.DOWNTIME, 0);
        }
        if (http) {
            for (StatField c : CACHE_COMP) {
                b.set(c, 0);
            }
        }
        b.zeroModules();
        if (http) {
            // open server connections: in use (one per request in flight) and idle in the pools
            b.set(ModuleField.H1_TOTAL_CONNECTIONS, connect)
                    .set(ModuleField.H1_OPEN_CONNECTIONS, open).set(ModuleField.H1_OPEN_STREAMS, inFlight)
                    .set(ModuleField.H1_TOTAL_STREAMS, t.count(Counters.REQUESTS))
                    .set(ModuleField.H1_BYTES_IN, t.count(Counters.BYTES_OUT))
                    .set(ModuleField.H1_BYTES_OUT, t.count(Counters.BYTES_IN));
        }
        return b.build();
    }
}
