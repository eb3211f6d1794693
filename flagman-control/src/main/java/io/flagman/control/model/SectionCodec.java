package io.flagman.control.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.config.edit.ConfigEditor;
import io.flagman.config.model.Timeout;
import io.flagman.config.parse.BalanceSettings;
import io.flagman.config.parse.DirectiveWriter;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.text.Section;
import io.flagman.config.text.Token;
import io.flagman.config.text.Words;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The settings of {@code frontend}, {@code backend}, {@code defaults} and {@code global} sections ↔ their JSON
 * models. Only the directives listed here are "managed": a PUT replaces exactly those lines and leaves every
 * other directive (child lists, and whatever the API does not model) where it is.
 */
public final class SectionCodec {

    /** Which section types a setting applies to. */
    private static final int F = 1;
    private static final int B = 2;
    private static final int D = 4;

    private enum Type { STRING, TEXT, INT, FLAG, OPTION_BOOL, OPTION_ENABLED, TIMEOUT, ENUM }

    /**
     * One setting of the model; {@code option} (an option's name) and {@code timeout} name the settings the config
     * module spells: its {@code OptionKeyword} and {@code TimeoutKeyword} write them, and the key their lines are
     * read by comes from the same words.
     */
    private record Field(String json, String key, Type type, int mask, List<String> values, String option,
            Timeout timeout) {
        Field(String json, String key, Type type, int mask) {
            this(json, key, type, mask, List.of(), null, null);
        }

        Field(String json, String key, Type type, int mask, List<String> values) {
            this(json, key, type, mask, values, null, null);
        }

        /** {@code option <name>}: OPTION_BOOL is only ever enabled, OPTION_ENABLED also says {@code no option <name>}. */
        static Field option(String json, String option, Type type, int mask) {
            return new Field(json, optionKey(option), type, mask, List.of(), option, null);
        }

        static Field timeout(String json, Timeout timeout, int mask) {
            return new Field(json, String.join(" ", DirectiveWriter.timeout(timeout, Duration.ZERO).subList(0, 2)),
                    Type.TIMEOUT, mask, List.of(), null, timeout);
        }
    }

    /** The key of an {@code option} line ({@code "option dontlognull"}), as the config module writes it. */
    private static String optionKey(String option) {
        return String.join(" ", DirectiveWriter.option(option, true));
    }

    /** The reference's http_connection_mode values, which are the names of the options that set it. */
    private static final List<String> CONNECTION_MODES = List.of("httpclose", "http-server-close", "http-keep-alive");

    private static final List<String> ENABLED = List.of("enabled", "disabled");
    private static final List<String> CHECKS = List.of("httpchk", "ldap-check", "mysql-check", "pgsql-check",
            "redis-check", "smtpchk", "ssl-hello-chk", "tcp-check");
    private static final List<String> ALGORITHMS = List.of("first", "hash", "hdr", "leastconn", "random",
            "rdp-cookie", "roundrobin", "source", "static-rr", "uri", "url_param");

    private static final List<Field> FIELDS = List.of(
            new Field("default_backend", "default_backend", Type.STRING, F | D),
            new Field("maxconn", "maxconn", Type.INT, F | D),
            new Field("backlog", "backlog", Type.INT, F | D),
            new Field("fullconn", "fullconn", Type.INT, B | D),
            new Field("retries", "retries", Type.INT, B | D),
            new Field("description", "description", Type.TEXT, F | B),
            new Field("disabled", "disabled", Type.FLAG, F | B | D),
            new Field("id", "id", Type.INT, F | B),
            new Field("log_tag", "log-tag", Type.STRING, F | B | D),
            new Field("http_reuse", "http-reuse", Type.ENUM, B | D, List.of("aggressive", "always", "never", "safe")),
            Field.option("tcplog", "tcplog", Type.OPTION_BOOL, F | D),
            Field.option("dontlognull", "dontlognull", Type.OPTION_ENABLED, F | D),
            Field.option("log_separate_errors", "log-separate-errors", Type.OPTION_ENABLED, F | D),
            Field.option("dontlog_normal", "dontlog-normal", Type.OPTION_ENABLED, F | D),
            Field.option("http-buffer-request", "http-buffer-request", Type.OPTION_ENABLED, F | B | D),
            Field.option("abortonclose", "abortonclose", Type.OPTION_ENABLED, B | D),
            Field.option("tcpka", "tcpka", Type.OPTION_ENABLED, F | B | D),
            Field.option("clitcpka", "clitcpka", Type.OPTION_ENABLED, F | D),
            Field.option("srvtcpka", "srvtcpka", Type.OPTION_ENABLED, B | D),
            Field.option("log_health_checks", "log-health-checks", Type.OPTION_ENABLED, B | D),
            Field.option("allbackups", "allbackups", Type.OPTION_ENABLED, B | D),
            Field.option("splice_auto", "splice-auto", Type.OPTION_ENABLED, F | B | D),
            Field.timeout("client_timeout", Timeout.CLIENT, F | D),
            Field.timeout("client_fin_timeout", Timeout.CLIENT_FIN, F | D),
            Field.timeout("http_request_timeout", Timeout.HTTP_REQUEST, F | B | D),
            Field.timeout("http_keep_alive_timeout", Timeout.HTTP_KEEP_ALIVE, F | B | D),
            Field.timeout("tarpit_timeout", Timeout.TARPIT, F | B | D),
            Field.timeout("connect_timeout", Timeout.CONNECT, B | D),
            Field.timeout("server_timeout", Timeout.SERVER, B | D),
            Field.timeout("server_fin_timeout", Timeout.SERVER_FIN, B | D),
            Field.timeout("queue_timeout", Timeout.QUEUE, B | D),
            Field.timeout("tunnel_timeout", Timeout.TUNNEL, B | D),
            Field.timeout("check_timeout", Timeout.CHECK, B | D));

    private final String keyword;
    private final int mask;
    private final Set<String> managedKeys;

    public static final SectionCodec FRONTEND = new SectionCodec("frontend", F);
    public static final SectionCodec BACKEND = new SectionCodec("backend", B);
    public static final SectionCodec DEFAULTS = new SectionCodec("defaults", D);

    private SectionCodec(String keyword, int mask) {
        this.keyword = keyword;
        this.mask = mask;
        Set<String> keys = new HashSet<>();
        for (Field f : FIELDS) {
            if ((f.mask() & mask) != 0) {
                keys.add(f.key());
            }
        }
        keys.add("mode");
        keys.add("option forwardfor");
        for (String o : CONNECTION_MODES) {
            keys.add(optionKey(o));
        }
        if ((mask & (F | D)) != 0) {
            keys.add("option httplog");
        }
        if ((mask & (B | D)) != 0) {
            keys.add("balance");
            keys.add("option redispatch");
            keys.add("default-server");
            for (String c : CHECKS) {
                keys.add("option " + c);
            }
        }
        this.managedKeys = Set.copyOf(keys);
    }

    public String keyword() {
        return keyword;
    }

    /** The setting key of a line: {@code option X} / {@code no option X} → "option X", {@code timeout X} → "timeout X". */
    static String key(ConfigLine l) {
        String kw = l.keyword();
        if (kw == null) {
            return "";
        }
        if (kw.equals("no") && "option".equals(l.word(1)) && l.word(2) != null) {
            return "option " + l.word(2);
        }
        if ((kw.equals("option") || kw.equals("timeout") || kw.equals("stats")) && l.word(1) != null) {
            return kw + " " + l.word(1);
        }
        return kw;
    }

    public Predicate<ConfigLine> managed() {
        return l -> managedKeys.contains(key(l));
    }

    /** The section header for a body: {@code <keyword> <name> [from <defaults>]}. */
    public Words header(String name, JsonNode body) {
        String from = Json.string(body, "from", false, Json.NAME);
        return from == null ? Words.of(keyword, name) : Words.of(keyword, name, "from", from);
    }

    public ObjectNode toJson(ConfigDocument doc, Section s) {
        ObjectNode o = Json.object();
        o.put("name", ConfigEditor.name(doc, s));
        ConfigLine header = doc.line(s.header());
        if ("from".equals(header.word(2)) && header.word(3) != null) {
            o.put("from", header.word(3));
        }
        for (int i : ConfigEditor.directives(doc, s)) {
            read(doc.line(i), o);
        }
        List<String> first = switch (keyword) {
            case "backend" -> List.of("error_files", "errorfiles_from_http_errors", "force_persist_list",
                    "ignore_persist_list");
            default -> List.of("error_files", "errorfiles_from_http_errors", "log_steps");
        };
        return Json.ordered(o, first, Set.of());
    }

    private void read(ConfigLine l, ObjectNode o) {
        String key = key(l);
        if (!managedKeys.contains(key)) {
            return;
        }
        List<Token> w = l.words();
        boolean no = "no".equals(l.keyword());
        for (String c : CONNECTION_MODES) {
            if (key.equals(optionKey(c))) {
                if (!no) {
                    o.put("http_connection_mode", l.word(1));
                }
                return;
            }
        }
        switch (key) {
            case "mode" -> {
                if (l.word(1) != null) {
                    o.put("mode", l.word(1));
                }
                return;
            }
            case "option httplog" -> {
                if (!no) {
                    o.put("clf".equals(l.word(2)) ? "clflog" : "httplog", true);
                }
                return;
            }
            case "option forwardfor" -> {
                if (no) {
                    return;
                }
                ObjectNode ff = Json.object();
                ff.put("enabled", "enabled");
                for (int i = 2; i < w.size(); i++) {
                    String v = w.get(i).value();
                    if (v.equals("except") && i + 1 < w.size()) {
                        ff.put("except", w.get(++i).value());
                    } else if (v.equals("header") && i + 1 < w.size()) {
                        ff.put("header", w.get(++i).value());
                    } else if (v.equals("if-none")) {
                        ff.put("ifnone", true);
                    }
                }
                o.set("forwardfor", Json.sorted(ff));
                return;
            }
            case "option redispatch" -> {
                ObjectNode r = Json.object();
                r.put("enabled", no ? "disabled" : "enabled");
                if (!no && l.word(2) != null) {
                    r.put("interval", Codecs.parseInt(l.word(2)));
                }
                o.set("redispatch", r);
                return;
            }
            case "balance" -> {
                o.set("balance", readBalance(w));
                return;
            }
            case "default-server" -> {
                ObjectNode ds = Json.object();
                ServerCodec.params(w, 1, ds);
                o.set("default_server", Json.sorted(ds));
                return;
            }
            default -> { }
        }
        if (key.startsWith("option ") && CHECKS.contains(key.substring(7))) {
            if (no) {
                return;
            }
            String check = key.substring(7);
            o.put("adv_check", check);
            if (check.equals("httpchk") && w.size() > 2) {
                ObjectNode p = Json.object();
                if (w.size() == 3) {
                    p.put("uri", w.get(2).value());
                } else {
                    p.put("method", w.get(2).value());
                    p.put("uri", w.get(3).value());
                    if (w.size() > 4) {
                        p.put("version", Json.rawText(w, 4, w.size()));
                    }
                }
                o.set("httpchk_params", Json.sorted(p));
            }
            return;
        }
        for (Field f : FIELDS) {
            if (!f.key().equals(key) || (f.mask() & mask) == 0) {
                continue;
            }
            switch (f.type()) {
                case STRING, ENUM -> {
                    if (l.word(1) != null) {
                        o.put(f.json(), l.word(1));
                    }
                }
                case TEXT -> o.put(f.json(), Json.rawText(w, 1, w.size()));
                case INT -> {
                    if (l.word(1) != null) {
                        try {
                            o.put(f.json(), Long.parseLong(l.word(1)));
                        } catch (NumberFormatException e) {
                            o.put(f.json(), l.word(1));
                        }
                    }
                }
                case FLAG -> o.put(f.json(), true);
                case OPTION_BOOL -> {
                    if (!no) {
                        o.put(f.json(), true);
                    }
                }
                case OPTION_ENABLED -> o.put(f.json(), no ? "disabled" : "enabled");
                case TIMEOUT -> {
                    Long ms = Json.millis(l.word(2));
                    if (ms != null) {
                        o.put(f.json(), ms);
                    }
                }
            }
        }
    }

    private static ObjectNode readBalance(List<Token> w) {
        ObjectNode b = Json.object();
        if (w.size() < 2) {
            return b;
        }
        String algo = w.get(1).value();
        String arg = null;
        int paren = algo.indexOf('(');
        if (paren > 0 && algo.endsWith(")")) {
            arg = algo.substring(paren + 1, algo.length() - 1);
            algo = algo.substring(0, paren);
        }
        b.put("algorithm", algo);
        switch (algo) {
            case "hdr" -> {
                if (arg != null) {
                    b.put("hdr_name", arg);
                }
                if (w.size() > 2 && w.get(2).value().equals("use_domain_only")) {
                    b.put("hdr_use_domain_only", true);
                }
            }
            case "random" -> {
                if (arg != null) {
                    b.put("random_draws", Codecs.parseInt(arg));
                }
            }
            case "rdp-cookie" -> {
                if (arg != null) {
                    b.put("rdp_cookie_name", arg);
                }
            }
            case "url_param" -> {
                if (w.size() > 2) {
                    b.put("url_param", w.get(2).value());
                }
            }
            case "uri" -> {
                for (int i = 2; i < w.size(); i++) {
                    String v = w.get(i).value();
                    if (v.equals("whole")) {
                        b.put("uri_whole", true);
                    } else if (v.equals("path-only")) {
                        b.put("uri_path_only", true);
                    } else if (v.equals("len") && i + 1 < w.size()) {
                        b.put("uri_len", Codecs.parseInt(w.get(++i).value()));
                    } else if (v.equals("depth") && i + 1 < w.size()) {
                        b.put("uri_depth", Codecs.parseInt(w.get(++i).value()));
                    }
                }
            }
            default -> { }
        }
        return Json.sorted(b);
    }

    /** The managed settings for a body, in a fixed order. */
    public List<Words> settings(JsonNode body) {
        return spelled(body).stream().map(Json::words).toList();
    }

    /** The managed settings as words quoted as they must appear in the file. */
    private List<List<String>> spelled(JsonNode body) {
        Json.object(body);
        List<List<String>> out = new ArrayList<>();
        List<String> modes = keyword.equals("backend") || keyword.equals("defaults")
                ? List.of("http", "tcp", "log") : List.of("http", "tcp");
        String mode = Json.enumValue(body, "mode", false, modes);
        if (mode != null) {
            out.add(quoted(DirectiveWriter.proxySetting("mode", mode)));
        }
        if ((mask & (B | D)) != 0) {
            JsonNode balance = Json.child(body, "balance");
            if (balance != null) {
                out.add(balanceWords(balance));
            }
        }
        for (Field f : FIELDS) {
            if ((f.mask() & mask) == 0) {
                continue;
            }
            switch (f.type()) {
                case STRING -> {
                    String v = Json.string(body, f.json(), false, f.json().equals("default_backend") ? Json.NAME
                            : null);
                    if (v != null) {
                        out.add(quoted(DirectiveWriter.proxySetting(f.key(), v)));
                    }
                }
                case ENUM -> {
                    String v = Json.enumValue(body, f.json(), false, f.values());
                    if (v != null) {
                        out.add(quoted(DirectiveWriter.proxySetting(f.key(), v)));
                    }
                }
                case TEXT -> {
                    String v = Json.string(body, f.json());
                    if (v != null) {
                        out.add(quoted(DirectiveWriter.proxySetting(f.key(), v)));
                    }
                }
                case INT -> {
                    Long v = Json.integer(body, f.json());
                    if (v != null) {
                        out.add(quoted(DirectiveWriter.proxySetting(f.key(), v.toString())));
                    }
                }
                case FLAG -> {
                    if (Json.bool(body, f.json())) {
                        out.add(quoted(DirectiveWriter.proxySetting(f.key())));
                    }
                }
                case OPTION_BOOL -> {
                    if (Json.bool(body, f.json())) {
                        out.add(quoted(DirectiveWriter.option(f.option(), true)));
                    }
                }
                case OPTION_ENABLED -> {
                    String v = Json.enumValue(body, f.json(), false, ENABLED);
                    if (v != null) {
                        out.add(quoted(DirectiveWriter.option(f.option(), v.equals("enabled"))));
                    }
                }
                case TIMEOUT -> {
                    Long v = Json.integer(body, f.json());
                    if (v != null) {
                        out.add(quoted(DirectiveWriter.timeout(f.timeout(), Duration.ofMillis(v))));
                    }
                }
            }
        }
        if ((mask & (F | D)) != 0) {
            boolean clf = Json.bool(body, "clflog");
            if (Json.bool(body, "httplog") || clf) {
                out.add(quoted(DirectiveWriter.httplog(clf)));
            }
        }
        String connection = Json.enumValue(body, "http_connection_mode", false, CONNECTION_MODES);
        if (connection != null) {
            out.add(quoted(DirectiveWriter.option(connection, true)));
        }
        JsonNode ff = Json.child(body, "forwardfor");
        if (ff != null) {
            String enabled = Json.enumValue(ff, "enabled", true, List.of("enabled"));
            String except = Json.string(ff, "except", false, Json.NO_SPACE);
            String header = Json.string(ff, "header", false, Json.NO_SPACE);
            boolean ifNone = Json.bool(ff, "ifnone");
            if (enabled != null) {
                out.add(quoted(DirectiveWriter.forwardFor(except, header, ifNone)));
            }
        }
        if ((mask & (B | D)) != 0) {
            JsonNode redispatch = Json.child(body, "redispatch");
            if (redispatch != null) {
                String enabled = Json.enumValue(redispatch, "enabled", true, ENABLED);
                Long interval = Json.integer(redispatch, "interval", false, null, null);
                out.add(quoted(DirectiveWriter.redispatch(enabled.equals("enabled"), interval)));
            }
            String check = Json.enumValue(body, "adv_check", false, CHECKS);
            if (check != null) {
                String method = null;
                String uri = null;
                Words version = Words.of();
                JsonNode p = Json.child(body, "httpchk_params");
                if (check.equals("httpchk") && p != null) {
                    method = Json.enumValue(p, "method", false, List.of("HEAD", "PUT", "POST", "GET",
                            "TRACE", "PATCH", "DELETE", "CONNECT", "OPTIONS"));
                    uri = Json.string(p, "uri", false, java.util.regex.Pattern.compile("^[^ ]*$"));
                    String v = Json.string(p, "version");
                    if (v != null) {
                        version = Json.expression("version", v);
                    }
                }
                out.add(DirectiveWriter.healthCheck(check, method, uri, version).tokens().stream().map(Token::raw)
                        .toList());
            }
            JsonNode ds = Json.child(body, "default_server");
            if (ds != null) {
                List<String> w = DirectiveWriter.defaultServer(ServerCodec.settings(ds)).stream().map(Json::word)
                        .toList();
                if (w.size() > 1) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    private static List<String> balanceWords(JsonNode b) {
        BalanceSettings s = new BalanceSettings();
        s.algorithm = Json.enumValue(b, "algorithm", true, ALGORITHMS);
        switch (s.algorithm) {
            case "hdr" -> {
                s.hdrName = Json.string(b, "hdr_name", true, Json.NO_SPACE);
                s.hdrUseDomainOnly = Json.bool(b, "hdr_use_domain_only");
            }
            case "random" -> s.randomDraws = Json.integer(b, "random_draws");
            case "rdp-cookie" -> s.rdpCookieName = Json.string(b, "rdp_cookie_name", false, Json.NO_SPACE);
            case "url_param" -> s.urlParam = Json.string(b, "url_param", true, Json.NO_SPACE);
            case "uri" -> {
                s.uriWhole = Json.bool(b, "uri_whole");
                s.uriPathOnly = Json.bool(b, "uri_path_only");
                s.uriLen = Json.integer(b, "uri_len");
                s.uriDepth = Json.integer(b, "uri_depth");
            }
            default -> { }
        }
        return quoted(DirectiveWriter.balance(s));
    }

    /** Words written by the config module, quoted as they must appear in the file. */
    private static List<String> quoted(List<String> words) {
        return words.stream().map(Json::word).toList();
    }

    // ---- global ----

    private static final Set<String> GLOBAL_KEYS = Set.of("daemon", "master-worker", "nbthread", "maxconn", "chroot",
            "user", "group", "pidfile", "uid", "gid", "hard-stop-after", "stats socket");

    public static Predicate<ConfigLine> globalManaged() {
        return l -> GLOBAL_KEYS.contains(key(l));
    }

    public static ObjectNode globalToJson(ConfigDocument doc, Section s) {
        ObjectNode o = Json.object();
        ArrayNode apis = Json.array();
        if (s != null) {
            for (int i : ConfigEditor.directives(doc, s)) {
                ConfigLine l = doc.line(i);
                String key = key(l);
                List<Token> w = l.words();
                switch (key) {
                    case "daemon", "master-worker" -> o.put(key, true);
                    case "nbthread", "uid", "gid" -> o.put(key, Codecs.parseInt(l.word(1) == null ? "" : l.word(1)));
                    case "maxconn" -> {
                        ObjectNode p = Json.object();
                        p.put("maxconn", Codecs.parseInt(l.word(1) == null ? "" : l.word(1)));
                        o.set("performance_options", p);
                    }
                    case "chroot", "user", "group", "pidfile" -> {
                        if (l.word(1) != null) {
                            o.put(key, l.word(1));
                        }
                    }
                    case "hard-stop-after" -> {
                        Long ms = Json.millis(l.word(1));
                        if (ms != null) {
                            o.put("hard_stop_after", ms);
                        }
                    }
                    case "stats socket" -> {
                        ObjectNode api = Json.object();
                        if (l.word(2) != null) {
                            api.put("address", l.word(2));
                        }
                        for (int k = 3; k + 1 < w.size(); k++) {
                            String v = w.get(k).value();
                            if (v.equals("level") || v.equals("mode") || v.equals("name")) {
                                api.put(v, w.get(++k).value());
                            }
                        }
                        if (api.has("address")) {
                            apis.add(Json.ordered(api, List.of(), Set.of("address")));
                        }
                    }
                    default -> { }
                }
            }
        }
        if (!apis.isEmpty()) {
            o.set("runtime_apis", apis);
        }
        return Json.ordered(o, List.of("cpu_maps", "cpu_set", "h1_case_adjust", "runtime_apis", "set_var_fmt",
                "set_var", "thread_group_lines"), Set.of());
    }

    public static List<Words> globalSettings(JsonNode body) {
        return spelledGlobal(body).stream().map(Json::words).toList();
    }

    private static List<List<String>> spelledGlobal(JsonNode body) {
        Json.object(body);
        List<List<String>> out = new ArrayList<>();
        for (String s : List.of("chroot", "user", "group", "pidfile")) {
            String v = Json.string(body, s);
            if (v != null) {
                out.add(quoted(DirectiveWriter.globalSetting(s, v)));
            }
        }
        for (String s : List.of("uid", "gid", "nbthread")) {
            Long v = Json.integer(body, s);
            if (v != null) {
                out.add(quoted(DirectiveWriter.globalSetting(s, v.toString())));
            }
        }
        for (String s : List.of("daemon", "master-worker")) {
            if (Json.bool(body, s)) {
                out.add(quoted(DirectiveWriter.globalSetting(s)));
            }
        }
        JsonNode perf = Json.child(body, "performance_options");
        if (perf != null) {
            Long maxconn = Json.integer(perf, "maxconn");
            if (maxconn != null) {
                out.add(quoted(DirectiveWriter.globalSetting("maxconn", maxconn.toString())));
            }
        }
        Long hsa = Json.integer(body, "hard_stop_after");
        if (hsa != null) {
            out.add(quoted(DirectiveWriter.globalSetting("hard-stop-after",
                    DirectiveWriter.duration(Duration.ofMillis(hsa)))));
        }
        for (JsonNode api : Json.list(body, "runtime_apis")) {
            Json.object(api);
            String address = Json.string(api, "address", true, Json.NO_SPACE);
            String level = Json.enumValue(api, "level", false, List.of("user", "operator", "admin"));
            String mode = Json.string(api, "mode");
            out.add(quoted(DirectiveWriter.statsSocket(address, level, mode)));
        }
        return out;
    }
}
