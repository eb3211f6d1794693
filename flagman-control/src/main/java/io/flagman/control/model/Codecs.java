package io.flagman.control.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.control.ApiException;
import io.flagman.config.model.ContentFormat;
import io.flagman.config.model.HttpRule;
import io.flagman.config.model.LogFormat;
import io.flagman.config.model.Match;
import io.flagman.config.text.ConfigLine;
import io.flagman.config.model.Userlist;
import io.flagman.config.parse.DirectiveWriter;
import io.flagman.config.text.Token;
import io.flagman.config.text.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The child directive codecs: ACLs, switching rules, http rules, binds, servers, users. */
public final class Codecs {

    private Codecs() {}

    private static final List<String> COND = List.of("if", "unless");
    private static final Pattern USERNAME = Pattern.compile("^[A-Za-z0-9-_.:${}\"]+$");

    /** Position of the first {@code if}/{@code unless} word at or after {@code from}, or the word count. */
    static int condIndex(List<Token> words, int from) {
        for (int i = from; i < words.size(); i++) {
            String v = words.get(i).value();
            if (v.equals("if") || v.equals("unless")) {
                return i;
            }
        }
        return words.size();
    }

    static void readCondition(ObjectNode out, List<Token> words, int at) {
        if (at < words.size()) {
            out.put("cond", words.get(at).value());
            String test = Json.rawText(words, at + 1, words.size());
            if (!test.isEmpty()) {
                out.put("cond_test", test);
            }
        }
    }

    /** {@code cond} and {@code cond_test}: true for {@code unless}; the test text, as written, or null. */
    private record Cond(boolean unless, String test) {
        static Cond of(JsonNode body) {
            String cond = Json.enumValue(body, "cond", false, COND);
            String test = Json.string(body, "cond_test");
            if ((test == null || test.isBlank()) && cond != null) {
                throw ApiException.unprocessable("cond_test in body is required when cond is set");
            }
            return new Cond("unless".equals(cond), test);
        }

        Words words() {
            return Json.raw("cond_test", () -> DirectiveWriter.condition(unless, test));
        }
    }

    // ---- acl ----

    public static final LineCodec ACL = new LineCodec() {
        @Override
        public Set<String> family() {
            return Set.of("acl");
        }

        @Override
        public ObjectNode toJson(ConfigLine line) {
            ObjectNode o = Json.object();
            o.put("acl_name", line.word(1));
            if (line.word(2) != null) {
                o.put("criterion", line.word(2));
            }
            String value = Json.rawText(line.words(), 3, line.words().size());
            if (!value.isEmpty()) {
                o.put("value", value);
            }
            return o;
        }

        @Override
        public Words toWords(JsonNode body) {
            Json.object(body);
            String name = Json.string(body, "acl_name", true, Json.NO_SPACE);
            String criterion = Json.string(body, "criterion", true, Json.NO_SPACE);
            String value = Json.string(body, "value");
            return Json.raw("value", () -> DirectiveWriter.acl(name, criterion, value));
        }
    };

    // ---- use_backend, use-server ----

    /** {@code use_backend <name> [if|unless <cond>]}: the JSON names the backend {@code name}. */
    public static final LineCodec BACKEND_SWITCHING_RULE = switchingRule("use_backend", "name",
            DirectiveWriter::useBackend);

    /** {@code use-server <server> [if|unless <cond>]}: the JSON names the server {@code target_server}. */
    public static final LineCodec SERVER_SWITCHING_RULE = switchingRule("use-server", "target_server",
            DirectiveWriter::useServer);

    /** How a switching rule's line is written from its target and its condition as the user sent it. */
    @FunctionalInterface
    private interface SwitchingRuleWriter {
        Words write(String target, boolean unless, String terms);
    }

    /** A switching rule: one target word, then an optional condition. The two kinds differ only in names. */
    private static LineCodec switchingRule(String keyword, String targetField, SwitchingRuleWriter writer) {
        return new LineCodec() {
            @Override
            public Set<String> family() {
                return Set.of(keyword);
            }

            @Override
            public ObjectNode toJson(ConfigLine line) {
                ObjectNode o = Json.object();
                int c = condIndex(line.words(), 2);
                readCondition(o, line.words(), c);
                o.put(targetField, Json.rawText(line.words(), 1, c));
                return Json.sorted(o);
            }

            @Override
            public Words toWords(JsonNode body) {
                Json.object(body);
                String target = Json.string(body, targetField, true, Json.NO_SPACE);
                Cond c = Cond.of(body);
                return Json.raw("cond_test", () -> writer.write(target, c.unless(), c.test()));
            }
        };
    }

    // ---- http-request / http-response ----

    public static final LineCodec HTTP_REQUEST_RULE = new HttpRuleCodec("http-request", List.of("add-acl",
            "add-header", "add-headers-bin", "allow", "auth", "cache-use", "capture", "del-acl", "del-header",
            "del-headers-bin", "del-map", "deny", "disable-l7-retry", "do-resolve", "early-hint", "lua",
            "normalize-uri", "pause", "redirect", "reject", "replace-header", "replace-path", "replace-pathq",
            "replace-uri", "replace-value", "return", "sc-add-gpc", "sc-inc-gpc", "sc-inc-gpc0", "sc-inc-gpc1",
            "sc-set-gpt", "sc-set-gpt0", "send-spoe-group", "set-bc-mark", "set-bc-tos", "set-dst", "set-dst-port",
            "set-fc-mark", "set-fc-tos", "set-header", "set-headers-bin", "set-log-level", "set-map", "set-mark",
            "set-method", "set-nice", "set-path", "set-pathq", "set-priority-class", "set-priority-offset",
            "set-query", "set-src", "set-src-port", "set-timeout", "set-tos", "set-uri", "set-var", "set-var-fmt",
            "silent-drop", "strict-mode", "tarpit", "track-sc", "unset-var", "use-service", "wait-for-body",
            "wait-for-handshake", "set-bandwidth-limit", "set-retries", "do-log"));

    public static final LineCodec HTTP_RESPONSE_RULE = new HttpRuleCodec("http-response", List.of("add-acl",
            "add-header", "add-headers-bin", "allow", "cache-store", "capture", "del-acl", "del-header",
            "del-headers-bin", "del-map", "deny", "lua", "pause", "redirect", "replace-header", "replace-value",
            "return", "sc-add-gpc", "sc-inc-gpc", "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt", "sc-set-gpt0",
            "send-spoe-group", "set-fc-mark", "set-fc-tos", "set-header", "set-headers-bin", "set-log-level",
            "set-map", "set-mark", "set-nice", "set-status", "set-timeout", "set-tos", "set-var", "set-var-fmt",
            "silent-drop", "strict-mode", "track-sc", "unset-var", "wait-for-body", "set-bandwidth-limit",
            "do-log"));

    static final class HttpRuleCodec implements LineCodec {
        private final String keyword;
        private final List<String> types;

        HttpRuleCodec(String keyword, List<String> types) {
            this.keyword = keyword;
            this.types = types;
        }

        @Override
        public Set<String> family() {
            return Set.of(keyword);
        }

        @Override
        public ObjectNode toJson(ConfigLine line) {
            List<Token> w = line.words();
            ObjectNode o = Json.object();
            String type = line.word(1);
            o.put("type", type == null ? "" : type);
            int c = condIndex(w, 2);
            readCondition(o, w, c);
            if (type == null) {
                return Json.sorted(o);
            }
            switch (type) {
                case "add-header", "set-header" -> {
                    if (c > 2) {
                        o.put("hdr_name", w.get(2).value());
                    }
                    if (c > 3) {
                        o.put("hdr_format", Json.rawText(w, 3, c));
                    }
                }
                case "del-header" -> {
                    if (c > 2) {
                        o.put("hdr_name", w.get(2).value());
                    }
                    if (c > 4 && w.get(3).value().equals("-m")) {
                        o.put("hdr_method", w.get(4).value());
                    }
                }
                case "redirect" -> {
                    if (c > 2) {
                        o.put("redir_type", w.get(2).value());
                    }
                    if (c > 3) {
                        o.put("redir_value", w.get(3).raw());
                    }
                    List<String> opts = new ArrayList<>();
                    for (int i = 4; i < c; i++) {
                        if (w.get(i).value().equals("code") && i + 1 < c) {
                            o.put("redir_code", parseInt(w.get(++i).value()));
                        } else {
                            opts.add(w.get(i).raw());
                        }
                    }
                    if (!opts.isEmpty()) {
                        o.put("redir_option", String.join(" ", opts));
                    }
                }
                case "auth" -> {
                    if (c > 3 && w.get(2).value().equals("realm")) {
                        o.put("auth_realm", w.get(3).value());
                    }
                }
                case "use-service" -> {
                    if (c > 2) {
                        o.put("service_name", w.get(2).value());
                    }
                }
                case "deny", "return", "tarpit" -> readReturn(o, w, c, type);
                case "set-status" -> {
                    if (c > 2) {
                        o.put("status", parseInt(w.get(2).value()));
                    }
                    if (c > 4 && w.get(3).value().equals("reason")) {
                        o.put("status_reason", w.get(4).value());
                    }
                }
                case "set-path", "set-pathq", "set-query", "set-uri" -> {
                    if (c > 2) {
                        o.put("path_fmt", Json.rawText(w, 2, c));
                    }
                }
                case "set-var", "set-var-fmt" -> { /* var name is in the keyword: set-var(txn.x) */ }
                default -> { }
            }
            if (type.startsWith("set-var(") || type.startsWith("set-var-fmt(")) {
                int open = type.indexOf('(');
                String scoped = type.substring(open + 1, type.endsWith(")") ? type.length() - 1 : type.length());
                int dot = scoped.indexOf('.');
                o.put("type", type.substring(0, open));
                if (dot > 0) {
                    o.put("var_scope", scoped.substring(0, dot));
                    o.put("var_name", scoped.substring(dot + 1));
                }
                if (c > 2) {
                    o.put(type.startsWith("set-var-fmt") ? "var_format" : "var_expr", Json.rawText(w, 2, c));
                }
            }
            return Json.ordered(o, List.of("return_hdrs"), Set.of());
        }

        private static void readReturn(ObjectNode o, List<Token> w, int c, String type) {
            ArrayNode hdrs = Json.array();
            for (int i = 2; i < c; i++) {
                String v = w.get(i).value();
                if ((v.equals("status") || v.equals("deny_status")) && i + 1 < c) {
                    o.put(type.equals("return") ? "return_status_code" : "deny_status", parseInt(w.get(++i).value()));
                } else if (v.equals("content-type") && i + 1 < c) {
                    o.put("return_content_type", w.get(++i).value());
                } else if (List.of("default-errorfiles", "errorfile", "errorfiles", "file", "lf-file", "string",
                        "lf-string").contains(v)) {
                    o.put("return_content_format", v);
                    if (!v.equals("default-errorfiles") && i + 1 < c) {
                        o.put("return_content", w.get(++i).value());
                    }
                } else if (v.equals("hdr") && i + 2 < c) {
                    ObjectNode h = Json.object();
                    h.put("fmt", w.get(i + 2).value());
                    h.put("name", w.get(i + 1).value());
                    hdrs.add(h);
                    i += 2;
                }
            }
            if (!hdrs.isEmpty()) {
                o.set("return_hdrs", hdrs);
            }
        }

        @Override
        public Words toWords(JsonNode body) {
            Json.object(body);
            String type = Json.enumValue(body, "type", true, types);
            String k = keyword;
            // the action's fields are checked before the condition's, as the reference does
            Function<Words, Words> rule = switch (type) {
                case "allow", "reject", "silent-drop", "disable-l7-retry", "wait-for-handshake" ->
                        c -> DirectiveWriter.httpAction(k, type, c);
                case "add-header", "set-header" -> {
                    String name = Json.string(body, "hdr_name", true, null);
                    Words format = Json.expression("hdr_format", Json.string(body, "hdr_format", true, null));
                    yield c -> DirectiveWriter.httpHeader(k, type, name, format, c);
                }
                case "del-header" -> {
                    String name = Json.string(body, "hdr_name", true, null);
                    String m = Json.enumValue(body, "hdr_method", false, List.of("str", "beg", "end", "sub", "reg"));
                    yield c -> DirectiveWriter.httpDelHeader(k, name, m == null ? null : Match.fromKeyword(m), c);
                }
                case "redirect" -> {
                    String t = Json.enumValue(body, "redir_type", true, List.of("location", "prefix", "scheme"));
                    Words value = Json.expression("redir_value", Json.string(body, "redir_value", true, null));
                    Long code = Json.integer(body, "redir_code", false, null, null);
                    if (code != null && !List.of(301L, 302L, 303L, 307L, 308L).contains(code)) {
                        throw ApiException.unprocessable("redir_code in body should be one of [301 302 303 307 308]");
                    }
                    String option = Json.string(body, "redir_option");
                    Words options = option == null ? Words.of() : Json.expression("redir_option", option);
                    HttpRule.RedirectType rt = HttpRule.RedirectType.valueOf(t.toUpperCase(Locale.ROOT));
                    yield c -> DirectiveWriter.httpRedirect(k, rt, value, code == null ? null : code.intValue(),
                            options, c);
                }
                case "auth" -> {
                    String realm = Json.string(body, "auth_realm", false, Json.NO_SPACE);
                    yield c -> DirectiveWriter.httpAuth(k, realm, c);
                }
                case "use-service" -> {
                    String service = Json.string(body, "service_name", true, Json.NO_SPACE);
                    yield c -> DirectiveWriter.httpUseService(k, service, c);
                }
                case "deny", "return", "tarpit" -> respond(body, type);
                case "set-status" -> {
                    int status = Json.integer(body, "status", true, 100L, 999L).intValue();
                    String reason = Json.string(body, "status_reason");
                    yield c -> DirectiveWriter.httpSetStatus(k, status, reason, c);
                }
                case "set-path", "set-pathq", "set-query", "set-uri" -> {
                    Words format = Json.expression("path_fmt", Json.string(body, "path_fmt", true, null));
                    yield c -> DirectiveWriter.httpSetFormat(k, type, format, c);
                }
                case "set-var", "set-var-fmt" -> {
                    String scope = Json.enumValue(body, "var_scope", true, List.of("proc", "sess", "txn", "req",
                            "res"));
                    String name = Json.string(body, "var_name", true, Json.NO_SPACE);
                    String field = type.equals("set-var") ? "var_expr" : "var_format";
                    Words value = Json.expression(field, Json.string(body, field, true, null));
                    yield c -> DirectiveWriter.httpSetVar(k, type, scope, name, value, c);
                }
                default -> throw ApiException.badRequest(keyword + " rule type '" + type
                        + "' is not supported by Flagman's API yet: write it in the file or with the raw endpoint");
            };
            return rule.apply(Cond.of(body).words());
        }

        /** {@code return}, {@code deny} and {@code tarpit}: {@code return} says its status as return_status_code. */
        private Function<Words, Words> respond(JsonNode body, String type) {
            Long status = Json.integer(body, type.equals("return") ? "return_status_code" : "deny_status", false,
                    200L, 599L);
            String ct = Json.string(body, "return_content_type");
            String format = Json.enumValue(body, "return_content_format", false, List.of("default-errorfiles",
                    "errorfile", "errorfiles", "file", "lf-file", "string", "lf-string"));
            String content = format == null || format.equals("default-errorfiles") ? null
                    : Json.string(body, "return_content", true, null);
            List<HttpRule.Header> headers = new ArrayList<>();
            for (JsonNode h : Json.list(body, "return_hdrs")) {
                Json.object(h);
                String name = Json.string(h, "name", true, null);
                headers.add(new HttpRule.Header(name, new LogFormat(Json.string(h, "fmt", true, null))));
            }
            String k = keyword;
            return c -> DirectiveWriter.httpRespond(k, type, status == null ? null : status.intValue(), ct,
                    ContentFormat.fromKeyword(format), content, headers, c);
        }
    }

    static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ---- bind ----

    public static final LineCodec.Named BIND = new BindCodec();

    // ---- server ----

    public static final LineCodec.Named SERVER = new ServerCodec();

    // ---- user ----

    public static final LineCodec.Named USER = new LineCodec.Named() {
        @Override
        public Set<String> family() {
            return Set.of("user");
        }

        @Override
        public String nameFrom(JsonNode body) {
            return Json.string(body, "username", true, null);
        }

        @Override
        public String what() {
            return "user";
        }

        @Override
        public ObjectNode toJson(ConfigLine line) {
            ObjectNode o = Json.object();
            String password = "";
            boolean secure = false;
            List<Token> w = line.words();
            for (int i = 2; i + 1 < w.size(); i += 2) {
                switch (w.get(i).value()) {
                    case "password" -> {
                        password = w.get(i + 1).value();
                        secure = true;
                    }
                    case "insecure-password" -> password = w.get(i + 1).value();
                    case "groups" -> o.put("groups", w.get(i + 1).value());
                    default -> { }
                }
            }
            o.put("password", password);
            o.put("secure_password", secure);
            o.put("username", line.word(1));
            return Json.sorted(o);
        }

        @Override
        public Words toWords(JsonNode body) {
            Json.object(body);
            String name = Json.string(body, "username", true, USERNAME);
            String password = Json.string(body, "password", true, null);
            if (!body.has("secure_password")) {
                throw ApiException.unprocessable("secure_password in body is required");
            }
            boolean secure = Json.bool(body, "secure_password");
            String groups = Json.string(body, "groups");
            List<String> list = groups == null ? List.of() : List.of(groups.split(","));
            return Words.of(DirectiveWriter.user(new Userlist.User(name, password, secure, list)));
        }
    };
}
