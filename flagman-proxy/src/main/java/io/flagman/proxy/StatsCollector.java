package io.flagman.proxy;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.Mode;
import io.flagman.config.model.Server;
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

    static List<StatRow> rows(Snapshot snapshot) {
        List<StatRow> rows = new ArrayList<>();
        for (Proxy p : proxies(snapshot.config())) {
            FrontendRuntime fr = p.frontend() == null ? null : snapshot.frontend(p.name());
            BackendRuntime br = p.backend() == null ? null : snapshot.backend(p.name());
            if (fr != null) {
                rows.add(frontend(p, fr, snapshot.config()));
            }
            if (br != null) {
                for (ServerEndpoint e : br.servers()) {
                    rows.add(server(p, br, e));
                }
                rows.add(backend(p, br, snapshot.config()));
            }
        }
        return rows;
    }

    private static String mode(Mode m) {
        return m.name().toLowerCase(Locale.ROOT);
    }

    private static StatRow frontend(Proxy p, FrontendRuntime f, Config config) {
        boolean http = f.mode() == Mode.HTTP;
        StatRow.Builder b = StatRow.builder(StatObject.FRONTEND, p.name(), "FRONTEND", p.iid(), 0);
        int slim = f.config().maxconn() > 0 ? f.config().maxconn() : config.global().maxconn();
        b.set(StatField.SCUR, 0).set(StatField.SMAX, 0).set(StatField.STOT, 0)
                .set(StatField.BIN, 0).set(StatField.BOUT, 0)
                .set(StatField.DREQ, 0).set(StatField.DRESP, 0).set(StatField.EREQ, 0)
                .set(StatField.STATUS, f.config().disabled() ? "STOP" : "OPEN")
                .set(StatField.RATE, 0).set(StatField.RATE_LIM, 0).set(StatField.RATE_MAX, 0)
                .set(StatField.MODE, mode(f.mode()))
                .set(StatField.CONN_RATE, 0).set(StatField.CONN_RATE_MAX, 0).set(StatField.CONN_TOT, 0)
                .set(StatField.INTERCEPTED, 0).set(StatField.DCON, 0).set(StatField.DSES, 0)
                .set(StatField.WREW, 0).set(StatField.EINT, 0);
        if (slim > 0) {
            b.set(StatField.SLIM, slim);
        }
        if (http) {
            for (StatField h : HRSP) {
                b.set(h, 0);
            }
            b.set(StatField.REQ_RATE, 0).set(StatField.REQ_RATE_MAX, 0).set(StatField.REQ_TOT, 0);
            for (StatField c : CACHE_COMP) {
                b.set(c, 0);
            }
            for (StatField s : PROTOCOLS) {
                b.set(s, 0);
            }
        }
        return b.zeroModules().build();
    }

    static final List<StatField> HRSP = List.of(StatField.HRSP_1XX, StatField.HRSP_2XX, StatField.HRSP_3XX,
            StatField.HRSP_4XX, StatField.HRSP_5XX, StatField.HRSP_OTHER);
    private static final List<StatField> CACHE_COMP = List.of(StatField.COMP_IN, StatField.COMP_OUT,
            StatField.COMP_BYP, StatField.COMP_RSP, StatField.CACHE_LOOKUPS, StatField.CACHE_HITS);
    private static final List<StatField> PROTOCOLS = List.of(StatField.SESS_OTHER, StatField.H1SESS,
            StatField.H2SESS, StatField.H3SESS, StatField.REQ_OTHER, StatField.H1REQ, StatField.H2REQ,
            StatField.H3REQ);

    private static StatRow server(Proxy p, BackendRuntime br, ServerEndpoint e) {
        ServerState s = e.state();
        Server cfg = e.server();
        boolean http = br.mode() == Mode.HTTP;
        StatRow.Builder b = StatRow.builder(StatObject.SERVER, p.name(), e.name(), p.iid(), e.index() + 1);
        b.set(StatField.QCUR, 0).set(StatField.QMAX, 0)
                .set(StatField.SCUR, s.activeConnections()).set(StatField.SMAX, 0)
                .set(StatField.STOT, s.totalRequests())
                .set(StatField.BIN, s.bytesIn()).set(StatField.BOUT, s.bytesOut())
                .set(StatField.DRESP, 0)
                .set(StatField.ECON, s.connectErrors()).set(StatField.ERESP, s.responseErrors())
                .set(StatField.WRETR, s.retries()).set(StatField.WREDIS, s.redispatches())
                .set(StatField.STATUS, ServerStatus.of(e))
                .set(StatField.WEIGHT, e.weight())
                .set(StatField.ACT, cfg.backup() ? 0 : 1).set(StatField.BCK, cfg.backup() ? 1 : 0)
                .set(StatField.LASTCHG, 0)
                .set(StatField.LBTOT, s.totalRequests())
                .set(StatField.RATE, 0).set(StatField.RATE_MAX, 0)
                .set(StatField.CLI_ABRT, 0).set(StatField.SRV_ABRT, 0)
                .set(StatField.LASTSESS, -1)
                .set(StatField.QTIME, 0).set(StatField.CTIME, 0).set(StatField.RTIME, 0).set(StatField.TTIME, 0)
                .set(StatField.ADDR, address(e))
                .set(StatField.MODE, mode(br.mode()))
                .set(StatField.WREW, 0).set(StatField.CONNECT, s.totalConnections()).set(StatField.REUSE, 0)
                .set(StatField.SRV_ICUR, s.pool().idleCount())
                .set(StatField.QTIME_MAX, 0).set(StatField.CTIME_MAX, 0).set(StatField.RTIME_MAX, 0)
                .set(StatField.TTIME_MAX, 0)
                .set(StatField.EINT, 0)
                .set(StatField.IDLE_CONN_CUR, s.pool().idleCount()).set(StatField.SAFE_CONN_CUR, 0)
                .set(StatField.USED_CONN_CUR, 0).set(StatField.NEED_CONN_EST, 0)
                .set(StatField.UWEIGHT, e.weight())
                .set(StatField.SRID, 0);
        if (cfg.maxconn() > 0) {
            b.set(StatField.SLIM, cfg.maxconn());
        }
        if (http) {
            for (StatField h : HRSP) {
                b.set(h, 0);
            }
            b.set(StatField.REQ_TOT, s.totalRequests());
        }
        ServerState.CheckReport check = s.lastCheck();
        if (cfg.check() && check != null) {
            b.set(StatField.CHKFAIL, 0).set(StatField.CHKDOWN, 0).set(StatField.DOWNTIME, 0);
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
                    .set(StatField.CHECK_HEALTH, s.health() == ServerState.Health.UP
                            ? cfg.rise() + cfg.fall() - 1 : 0);
        }
        for (ModuleField m : ModuleField.ALL) {
            if (m.appliesTo(StatObject.SERVER)) {
                b.set(m, 0);
            }
        }
        return b.build();
    }

    static String address(ServerEndpoint e) {
        java.net.InetSocketAddress a = e.address();
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

    private static StatRow backend(Proxy p, BackendRuntime br, Config config) {
        boolean http = br.mode() == Mode.HTTP;
        StatRow.Builder b = StatRow.builder(StatObject.BACKEND, p.name(), "BACKEND", p.iid(), 0);
        long stot = 0;
        long bin = 0;
        long bout = 0;
        long econ = 0;
        long eresp = 0;
        long wretr = 0;
        long wredis = 0;
        long connect = 0;
        int active = 0;
        int weight = 0;
        int backup = 0;
        int backupWeight = 0;
        for (ServerEndpoint e : br.servers()) {
            ServerState s = e.state();
            stot += s.totalRequests();
            bin += s.bytesIn();
            bout += s.bytesOut();
            econ += s.connectErrors();
            eresp += s.responseErrors();
            wretr += s.retries();
            wredis += s.redispatches();
            connect += s.totalConnections();
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
        b.set(StatField.QCUR, br.queue().size()).set(StatField.QMAX, 0)
                .set(StatField.SCUR, 0).set(StatField.SMAX, 0)
                .set(StatField.STOT, stot).set(StatField.BIN, bin).set(StatField.BOUT, bout)
                .set(StatField.DREQ, 0).set(StatField.DRESP, 0)
                .set(StatField.ECON, econ).set(StatField.ERESP, eresp)
                .set(StatField.WRETR, wretr).set(StatField.WREDIS, wredis)
                .set(StatField.STATUS, effective > 0 || br.servers().isEmpty() ? "UP" : "DOWN")
                .set(StatField.WEIGHT, effective).set(StatField.ACT, active).set(StatField.BCK, backup)
                .set(StatField.LBTOT, stot)
                .set(StatField.RATE, 0).set(StatField.RATE_MAX, 0)
                .set(StatField.CLI_ABRT, 0).set(StatField.SRV_ABRT, 0)
                .set(StatField.LASTSESS, -1)
                .set(StatField.QTIME, 0).set(StatField.CTIME, 0).set(StatField.RTIME, 0).set(StatField.TTIME, 0)
                .set(StatField.MODE, mode(br.mode()))
                .set(StatField.ALGO, p.backend().balance().algorithm().keyword())
                .set(StatField.WREW, 0).set(StatField.CONNECT, connect).set(StatField.REUSE, 0)
                .set(StatField.QTIME_MAX, 0).set(StatField.CTIME_MAX, 0).set(StatField.RTIME_MAX, 0)
                .set(StatField.TTIME_MAX, 0)
                .set(StatField.EINT, 0)
                .set(StatField.UWEIGHT, effective)
                .set(StatField.AGG_SERVER_STATUS, 0).set(StatField.AGG_SERVER_CHECK_STATUS, 0)
                .set(StatField.AGG_CHECK_STATUS, 0);
        int fullconn = fullconn(config, p.name());
        if (fullconn > 0) {
            b.set(StatField.SLIM, fullconn);
        }
        if (!br.servers().isEmpty()) {
            b.set(StatField.CHKDOWN, 0).set(StatField.LASTCHG, 0).set(StatField.DOWNTIME, 0);
        }
        if (http) {
            for (StatField h : HRSP) {
                b.set(h, 0);
            }
            b.set(StatField.REQ_TOT, stot);
            for (StatField c : CACHE_COMP) {
                b.set(c, 0);
            }
        }
        return b.zeroModules().build();
    }
}
