package io.flagman.proxy.service;

import io.flagman.proxy.service.PrometheusText.Type;
import io.flagman.proxy.stats.InfoField;
import io.flagman.proxy.stats.ProcessInfo;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import io.flagman.proxy.stats.StatRow;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HAProxy's Prometheus exporter ({@code http-request use-service prometheus-exporter}): the metric families
 * {@code haproxy_process_*}, {@code haproxy_frontend_*}, {@code haproxy_backend_*} and {@code haproxy_server_*}
 * with HAProxy's names, types, help texts and labels, rendered from the shared statistics model (the rows of
 * {@code show stat} and {@code show info}, read once per scrape). Metric-major as HAProxy: each family lists every
 * proxy (or server) in configuration order; state metrics have one series per state.
 */
public final class PrometheusExporter {

    /** The {@code scope} values HAProxy accepts. */
    public enum Scope {
        GLOBAL,
        FRONTEND,
        BACKEND,
        SERVER,
        LISTENER,
        STICKTABLE,
        RESOLVER
    }

    /** What the query string asked: the scopes to dump and {@code no-maint}. Null from {@link #parse}: a 400. */
    /** {@code unsupported}: a parameter HAProxy's exporter takes and Flagman does not (the scrape is refused), or null. */
    public record Query(Set<Scope> scopes, boolean noMaint, String unsupported) {}

    private static final List<String> CHECK_STATES = List.of("HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK",
            "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK", "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK");

    /** Columns only an HTTP proxy fills: a tcp proxy's series are left out, as HAProxy does. */
    private static final Set<StatField> HTTP_ONLY = EnumSet.of(StatField.REQ_RATE_MAX, StatField.REQ_TOT,
            StatField.INTERCEPTED, StatField.CACHE_LOOKUPS, StatField.CACHE_HITS, StatField.COMP_IN,
            StatField.COMP_OUT, StatField.COMP_BYP, StatField.COMP_RSP, StatField.HRSP_1XX, StatField.HRSP_2XX,
            StatField.HRSP_3XX, StatField.HRSP_4XX, StatField.HRSP_5XX, StatField.HRSP_OTHER);

    /** Columns the exporter writes its own way (states, codes) or not at all. */
    private static final Set<StatField> SPECIAL = EnumSet.of(StatField.STATUS, StatField.CHECK_STATUS,
            StatField.CHECK_CODE, StatField.CHECK_DURATION, StatField.AGENT_STATUS, StatField.AGENT_CODE,
            StatField.AGENT_DURATION, StatField.HRSP_1XX, StatField.HRSP_2XX, StatField.HRSP_3XX,
            StatField.HRSP_4XX, StatField.HRSP_5XX, StatField.HRSP_OTHER, StatField.AGG_SERVER_STATUS,
            StatField.AGG_SERVER_CHECK_STATUS, StatField.AGG_CHECK_STATUS);

    /** Columns in milliseconds that the exporter writes in seconds. */
    private static final Set<StatField> MILLIS = EnumSet.of(StatField.QTIME, StatField.CTIME, StatField.RTIME,
            StatField.TTIME, StatField.QTIME_MAX, StatField.CTIME_MAX, StatField.RTIME_MAX, StatField.TTIME_MAX);

    private static final List<StatField> HRSP = List.of(StatField.HRSP_1XX, StatField.HRSP_2XX, StatField.HRSP_3XX,
            StatField.HRSP_4XX, StatField.HRSP_5XX, StatField.HRSP_OTHER);
    private static final List<String> CODES = List.of("1xx", "2xx", "3xx", "4xx", "5xx", "other");
    private static final List<String> SERVER_STATES = List.of("DOWN", "UP", "MAINT", "DRAIN", "NOLB");

    private final List<StatRow> rows;
    private final Query query;
    private final PrometheusText out = new PrometheusText();

    private PrometheusExporter(List<StatRow> rows, Query query) {
        this.rows = rows;
        this.query = query;
    }

    /**
     * The query string of a scrape (the part after {@code ?}, may be null): {@code scope} repeatable, {@code *}
     * meaning every scope, no {@code scope} meaning all; {@code no-maint}. Null when a scope is unknown.
     */
    public static Query parse(String queryString) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        boolean scoped = false;
        boolean noMaint = false;
        if (queryString != null && !queryString.isEmpty()) {
            for (String part : queryString.split("&")) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? part : part.substring(0, eq);
                String value = eq < 0 ? "" : part.substring(eq + 1);
                switch (key) {
                    case "scope" -> {
                        scoped = true;
                        if (value.equals("*")) {
                            scopes.addAll(EnumSet.allOf(Scope.class));
                        } else if (!value.isEmpty()) {
                            Scope s = scope(value);
                            if (s == null) {
                                return null;
                            }
                            scopes.add(s);
                        }
                    }
                    case "no-maint" -> noMaint = true;
                    // HAProxy's other parameters: refused by name rather than ignored (docs/runtime.md)
                    case "metrics", "desc-labels", "extra-counters" -> {
                        return new Query(EnumSet.noneOf(Scope.class), noMaint, key);
                    }
                    default -> { } // not an exporter parameter (HAProxy ignores those too)
                }
            }
        }
        return new Query(scoped ? scopes : EnumSet.allOf(Scope.class), noMaint, null);
    }

    private static Scope scope(String v) {
        for (Scope s : Scope.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(v)) {
                return s;
            }
        }
        return null;
    }

    /** The exposition text of one scrape, from rows read once. On the event loop: formatting only. */
    public static String render(List<StatRow> rows, ProcessInfo info, Query query) {
        PrometheusExporter e = new PrometheusExporter(rows, query);
        if (query.scopes().contains(Scope.GLOBAL)) {
            e.process(info);
        }
        if (query.scopes().contains(Scope.FRONTEND)) {
            e.objects(StatObject.FRONTEND, "haproxy_frontend_");
        }
        if (query.scopes().contains(Scope.BACKEND)) {
            e.objects(StatObject.BACKEND, "haproxy_backend_");
        }
        if (query.scopes().contains(Scope.LISTENER)) {
            e.objects(StatObject.LISTENER, "haproxy_listener_");
        }
        if (query.scopes().contains(Scope.SERVER)) {
            e.objects(StatObject.SERVER, "haproxy_server_");
        }
        return e.out.text();
    }

    // ---------------------------------------------------------------- process

    /**
     * {@code show info} fields HAProxy's exporter declares counters although their nature is not one. A counter
     * whose HAProxy name lacks the {@code _total} suffix ({@code failed_resolutions}, {@code total_warnings}) is
     * declared a gauge: promtool's lint refuses such a counter (HAProxy's own output fails it).
     */
    private static final Set<InfoField> INFO_COUNTERS = EnumSet.of(InfoField.POOLFAILED, InfoField.CUMCONNS,
            InfoField.CUMREQ, InfoField.CUMSSLCONNS, InfoField.PIPESUSED, InfoField.PIPESFREE,
            InfoField.SSLCACHELOOKUPS, InfoField.SSLCACHEMISSES, InfoField.COMPRESSBPSIN, InfoField.COMPRESSBPSOUT,
            InfoField.DROPPEDLOGS, InfoField.FAILEDRESOLUTIONS, InfoField.TOTALBYTESOUT,
            InfoField.TOTALSPLICEDBYTESOUT, InfoField.CUMRECVLOGS);

    /** Every {@code show info} field with a long name, in field order; {@code build_info} carries the version. */
    private void process(ProcessInfo p) {
        for (InfoField f : InfoField.ALL) {
            PrometheusInfoNames.Name n = PrometheusInfoNames.NAMES.get(f);
            if (n == null) {
                continue;
            }
            String name = "haproxy_process_" + n.metric();
            if (f == InfoField.BUILD_INFO) {
                out.family(name, Type.GAUGE, n.help()).sample(1, "version", p.text(InfoField.BUILD_INFO));
                continue;
            }
            if (f.type() == io.flagman.proxy.stats.StatType.STR) {
                continue; // a text field (node, description): no series
            }
            Object v = p.value(f);
            Long number = v instanceof Long l ? l : v instanceof String s && s.matches("-?\\d{1,18}") ? Long.valueOf(s)
                    : null;
            if (number == null && v != null) {
                continue; // a text field (node, description): HAProxy has no series for it
            }
            String tags = f.tags();
            boolean counter = (INFO_COUNTERS.contains(f) || (tags.length() > 1 && tags.charAt(1) == 'C'))
                    && n.metric().endsWith("_total");
            out.family(name, counter ? Type.COUNTER : Type.GAUGE, n.help());
            if (number == null) {
                out.unknown();
            } else {
                out.sample(number);
            }
        }
    }

    // ---------------------------------------------------------------- frontends, backends, servers

    private List<StatRow> rowsOf(StatObject object) {
        List<StatRow> out = new ArrayList<>();
        for (StatRow r : rows) {
            if (r.object() == object && !(object == StatObject.SERVER && query.noMaint() && maint(r))) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean maint(StatRow r) {
        return r.text(StatField.STATUS).startsWith("MAINT");
    }

    private void objects(StatObject object, String prefix) {
        List<StatRow> of = rowsOf(object);
        for (StatField f : StatField.ALL) {
            PrometheusNames.Name n = PrometheusNames.NAMES.get(f);
            if (n == null || !f.appliesTo(object)) {
                continue;
            }
            if (f == StatField.HRSP_1XX) {
                responses(of, prefix, n.help());
            } else if (f == StatField.STATUS) {
                status(of, object, prefix + n.metric(), n.help());
            } else if (f == StatField.CHECK_STATUS) {
                checkStatus(of, prefix + n.metric(), n.help());
            } else if (f == StatField.CHECK_CODE || f == StatField.CHECK_DURATION) {
                checkFigure(of, f, prefix + n.metric(), n.help());
            } else if (f == StatField.AGG_SERVER_STATUS) {
                aggregated(of, prefix + n.metric(), n.help());
            } else if (f == StatField.AGG_CHECK_STATUS) {
                aggregatedChecks(of, prefix + n.metric(), n.help());
            } else if (!SPECIAL.contains(f)) {
                plain(of, object, f, prefix + metricName(object, f, n), n.help());
            }
        }
    }

    /** A server's {@code act}/{@code bck} are {@code active}/{@code backup} (HAProxy's server overrides). */
    private static String metricName(StatObject object, StatField f, PrometheusNames.Name n) {
        if (object == StatObject.SERVER && f == StatField.ACT) {
            return "active";
        }
        if (object == StatObject.SERVER && f == StatField.BCK) {
            return "backup";
        }
        return n.metric();
    }

    private static boolean counter(StatField f, StatObject object) {
        String tags = f.tags(object);
        return tags != null && tags.length() > 1 && tags.charAt(1) == 'C';
    }

    private void plain(List<StatRow> of, StatObject object, StatField f, String name, String help) {
        out.family(name, counter(f, object) ? Type.COUNTER : Type.GAUGE, help);
        for (StatRow r : of) {
            String[] labels = labels(r);
            Object v = r.value(f);
            if (v == null && HTTP_ONLY.contains(f)) {
                continue;
            }
            if (v instanceof Long l) {
                if (MILLIS.contains(f)) {
                    out.seconds(l / 1000.0, labels);
                } else {
                    out.sample(l, labels);
                }
            } else {
                out.unknown(labels);
            }
        }
    }

    private void responses(List<StatRow> of, String prefix, String help) {
        out.family(prefix + "http_responses_total", Type.COUNTER, help);
        for (int i = 0; i < HRSP.size(); i++) {
            for (StatRow r : of) {
                if (r.value(HRSP.get(i)) instanceof Long l) {
                    out.sample(l, with(labels(r), "code", CODES.get(i)));
                }
            }
        }
    }

    private void status(List<StatRow> of, StatObject object, String name, String help) {
        out.family(name, Type.GAUGE, help);
        List<String> states = object == StatObject.SERVER ? SERVER_STATES : List.of("DOWN", "UP");
        for (StatRow r : of) {
            String now = state(object, r.text(StatField.STATUS));
            for (String s : states) {
                out.sample(s.equals(now) ? 1 : 0, with(labels(r), "state", s));
            }
        }
    }

    /** The exporter's state of a {@code status} cell: {@code no check} and {@code UP 1/3} are UP. */
    static String state(StatObject object, String status) {
        String s = status == null ? "" : status;
        return switch (object) {
            case FRONTEND, LISTENER -> s.equals("OPEN") ? "UP" : "DOWN";
            case BACKEND -> s.startsWith("UP") ? "UP" : "DOWN";
            case SERVER -> s.startsWith("MAINT") ? "MAINT" : s.startsWith("DRAIN") ? "DRAIN"
                    : s.startsWith("NOLB") ? "NOLB" : s.startsWith("DOWN") ? "DOWN" : "UP";
        };
    }

    /** Checks are enabled (and not paused) when the row has a check status. */
    private static String checkStatus(StatRow r) {
        Object v = r.value(StatField.CHECK_STATUS);
        if (!(v instanceof String s) || s.isEmpty()) {
            return null;
        }
        return s.startsWith("* ") ? s.substring(2) : s;
    }

    private void checkStatus(List<StatRow> of, String name, String help) {
        out.family(name, Type.GAUGE, help);
        for (StatRow r : of) {
            String now = checkStatus(r);
            if (now == null) {
                continue;
            }
            for (String code : CHECK_STATES) {
                out.sample(code.equals(now) ? 1 : 0, with(labels(r), "state", code));
            }
        }
    }

    private void checkFigure(List<StatRow> of, StatField f, String name, String help) {
        out.family(name, Type.GAUGE, help);
        for (StatRow r : of) {
            if (checkStatus(r) == null) {
                continue;
            }
            Object v = r.value(f);
            if (f == StatField.CHECK_DURATION) {
                if (v instanceof Long l) {
                    out.seconds(l / 1000.0, labels(r)); // none before the first completed check
                }
            } else {
                out.sample(v instanceof Long l ? l : 0, labels(r)); // 0 below layer 7, as HAProxy
            }
        }
    }

    /** Per backend, how many of its servers are in each state. */
    private void aggregated(List<StatRow> backends, String name, String help) {
        out.family(name, Type.GAUGE, help);
        for (StatRow b : backends) {
            int[] counts = new int[SERVER_STATES.size()];
            for (StatRow r : rows) {
                if (r.object() == StatObject.SERVER && r.proxy().equals(b.proxy())) {
                    counts[SERVER_STATES.indexOf(state(StatObject.SERVER, r.text(StatField.STATUS)))]++;
                }
            }
            for (int i = 0; i < counts.length; i++) {
                out.sample(counts[i], with(labels(b), "state", SERVER_STATES.get(i)));
            }
        }
    }

    /** Per backend, how many of its checked servers' last check ended with each code. */
    private void aggregatedChecks(List<StatRow> backends, String name, String help) {
        out.family(name, Type.GAUGE, help);
        for (StatRow b : backends) {
            int[] counts = new int[CHECK_STATES.size()];
            for (StatRow r : rows) {
                if (r.object() == StatObject.SERVER && r.proxy().equals(b.proxy())) {
                    String now = checkStatus(r);
                    int i = now == null ? -1 : CHECK_STATES.indexOf(now);
                    if (i >= 0) {
                        counts[i]++;
                    }
                }
            }
            for (int i = 0; i < counts.length; i++) {
                out.sample(counts[i], with(labels(b), "state", CHECK_STATES.get(i)));
            }
        }
    }

    private static String[] labels(StatRow r) {
        return switch (r.object()) {
            case SERVER -> new String[] {"proxy", r.proxy(), "server", r.name()};
            case LISTENER -> new String[] {"proxy", r.proxy(), "listener", r.name()};
            case FRONTEND, BACKEND -> new String[] {"proxy", r.proxy()};
        };
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] l = java.util.Arrays.copyOf(labels, labels.length + 2);
        l[labels.length] = name;
        l[labels.length + 1] = value;
        return l;
    }
}
