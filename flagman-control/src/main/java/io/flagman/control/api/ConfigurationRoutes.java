package io.flagman.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.config.edit.ConfigEditor;
import io.flagman.config.text.ConfigDocument;
import io.flagman.config.text.Section;
import io.flagman.config.text.Words;
import io.flagman.control.ApiException;
import io.flagman.control.api.Router.Body;
import io.flagman.control.api.Router.Call;
import io.flagman.control.model.Codecs;
import io.flagman.control.model.Json;
import io.flagman.control.model.LineCodec;
import io.flagman.control.model.SectionCodec;
import io.flagman.control.service.ConfigService;
import io.flagman.control.service.CommitResult.Accepted;
import io.flagman.control.service.CommitResult.Committed;
import io.flagman.control.service.CommitResult.Staged;
import io.flagman.control.service.Transaction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The {@code /v3/services/haproxy/configuration/…}, transactions, reloads and raw endpoints. */
public final class ConfigurationRoutes {

    static final String BASE = "/v3/services/haproxy/configuration";

    private static final Map<String, String> PARENTS = Map.of(
            "frontends", "frontend", "backends", "backend", "defaults", "defaults");

    private final ConfigService service;

    public ConfigurationRoutes(ConfigService service) {
        this.service = service;
    }

    public void register(Router r) {
        r.add("GET", BASE + "/version", Body.NONE, c -> {
            String tx = Params.transaction(c);
            if (tx != null) {
                service.view(tx);
                return ApiResponse.jsonText(200, service.transaction(tx).version() + "\n");
            }
            return ApiResponse.jsonText(200, service.current().version() + "\n");
        });
        r.add("GET", BASE + "/raw", Body.NONE, this::getRaw);
        r.add("POST", BASE + "/raw", Body.TEXT, this::postRaw);

        r.add("GET", BASE + "/global", Body.NONE, c -> {
            ConfigDocument doc = service.view(Params.transaction(c));
            return ApiResponse.json(200, SectionCodec.globalToJson(doc, ConfigEditor.section(doc, "global", null)));
        });
        r.add("PUT", BASE + "/global", Body.JSON, this::putGlobal);

        for (String kind : List.of("frontends", "backends", "defaults")) {
            String keyword = PARENTS.get(kind);
            SectionCodec codec = switch (keyword) {
                case "frontend" -> SectionCodec.FRONTEND;
                case "backend" -> SectionCodec.BACKEND;
                default -> SectionCodec.DEFAULTS;
            };
            r.add("GET", BASE + "/" + kind, Body.NONE, c -> listSections(c, codec));
            r.add("POST", BASE + "/" + kind, Body.JSON, c -> createSection(c, codec));
            if (kind.equals("defaults")) {
                r.add("PUT", BASE + "/" + kind, Body.JSON, c -> createSection(c, codec));
            }
            r.add("GET", BASE + "/" + kind + "/{name}", Body.NONE, c -> getSection(c, codec));
            r.add("PUT", BASE + "/" + kind + "/{name}", Body.JSON, c -> replaceSection(c, codec));
            r.add("DELETE", BASE + "/" + kind + "/{name}", Body.NONE, c -> deleteSection(c, codec));

            indexed(r, kind, keyword, "acls", Codecs.ACL);
            indexed(r, kind, keyword, "http_request_rules", Codecs.HTTP_REQUEST_RULE);
            indexed(r, kind, keyword, "http_response_rules", Codecs.HTTP_RESPONSE_RULE);
        }
        indexed(r, "frontends", "frontend", "backend_switching_rules", Codecs.BACKEND_SWITCHING_RULE);
        indexed(r, "backends", "backend", "server_switching_rules", Codecs.SERVER_SWITCHING_RULE);
        named(r, "frontends", "frontend", "binds", Codecs.BIND);
        named(r, "backends", "backend", "servers", Codecs.SERVER);

        r.add("GET", BASE + "/userlists", Body.NONE, c -> {
            ConfigDocument doc = service.view(Params.transaction(c));
            ArrayNode out = Json.array();
            for (Section s : ConfigEditor.sections(doc, "userlist")) {
                out.add(userlistJson(doc, s));
            }
            return ApiResponse.json(200, out);
        });
        r.add("POST", BASE + "/userlists", Body.JSON, c -> {
            boolean force = Params.forceReload(c);
            JsonNode body = Json.object(Json.parse(c.request().body()));
            String name = Json.string(body, "name", true, Json.NAME);
            Accepted w = write(c,
                    doc -> ConfigEditor.addSection(doc, Words.of("userlist", name), List.of()));
            ObjectNode echo = Json.object();
            echo.put("name", name);
            return written(w, force, 201, echo);
        });
        r.add("GET", BASE + "/userlists/{name}", Body.NONE, c -> {
            ConfigDocument doc = service.view(Params.transaction(c));
            Section s = ConfigEditor.section(doc, "userlist", c.param("name"));
            if (s == null) {
                throw ApiException.notFound("userlist " + c.param("name") + " does not exist");
            }
            return ApiResponse.json(200, userlistJson(doc, s));
        });
        r.add("DELETE", BASE + "/userlists/{name}", Body.NONE, c -> {
            boolean force = Params.forceReload(c);
            Accepted w = write(c,
                    doc -> ConfigEditor.removeSection(doc, "userlist", c.param("name")));
            return written(w, force, 204, null);
        });
        users(r);
        transactions(r);

        r.add("GET", "/v3/services/haproxy/reloads", Body.NONE, c -> ApiResponse.json(200,
                service.reloads().list()));
        r.add("GET", "/v3/services/haproxy/reloads/{id}", Body.NONE, c -> ApiResponse.json(200,
                service.reloads().get(c.param("id"))));
    }

    // ---------------------------------------------------------------- responses

    /**
     * One write through the commit pipeline: exactly one of {@code version} and {@code transaction_id} must be
     * given; a refusal becomes its error response ({@link Commits}).
     */
    private Accepted write(Call c, ConfigService.Edit edit) {
        long version = Params.version(c);
        String transaction = Params.transaction(c);
        Params.versionOrTransaction(version, transaction);
        return Commits.accepted(service.write(version, transaction, edit, Params.author(c)));
    }

    /** 202 (+ Reload-Id when live), or the direct status with {@code force_reload=true}. */
    static ApiResponse written(Accepted w, boolean force, int forcedStatus, JsonNode body) {
        return switch (w) {
            case Staged s -> body == null ? ApiResponse.empty(202) : ApiResponse.json(202, body);
            case Committed c when force -> body == null || forcedStatus == 204 ? ApiResponse.empty(forcedStatus)
                    : ApiResponse.json(forcedStatus, body);
            case Committed c -> (body == null ? ApiResponse.empty(202) : ApiResponse.json(202, body))
                    .header("Reload-Id", c.reloadId());
        };
    }

    // ---------------------------------------------------------------- raw

    private ApiResponse getRaw(Call c) throws Exception {
        String text = service.rawText(Params.transaction(c), Params.version(c));
        return ApiResponse.text(200, text).header("Configuration-Checksum", md5(text));
    }

    private ApiResponse postRaw(Call c) throws Exception {
        String text = new String(c.request().body(), StandardCharsets.UTF_8);
        if (Params.bool(c, "only_validate")) {
            checkNewline(text);
            Commits.valid(service.validateOnly(text));
            return ApiResponse.text(202, text).header("Configuration-Checksum", md5(text));
        }
        boolean force = Params.forceReload(c);
        boolean skipReload = Params.bool(c, "skip_reload");
        long version = Params.version(c);
        String transaction = Params.transaction(c);
        boolean skipVersion = Params.bool(c, "skip_version");
        checkNewline(text);
        if (!skipVersion) {
            Params.versionOrTransaction(version, transaction);
        }
        Accepted w = Commits.accepted(service.postRaw(text, version, transaction, skipVersion, Params.author(c)));
        String result = service.rawText(transaction, 0);
        ApiResponse r = switch (w) {
            case Staged s -> ApiResponse.text(202, result);
            case Committed cm when force || skipReload -> ApiResponse.text(201, result);
            case Committed cm -> ApiResponse.text(202, result).header("Reload-Id", cm.reloadId());
        };
        return r.header("Configuration-Checksum", md5(result));
    }

    private static void checkNewline(String text) {
        if (!text.isEmpty() && text.indexOf('\n') < 0) {
            throw ApiException.badRequest("invalid configuration: no newline character found");
        }
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- global

    private ApiResponse putGlobal(Call c) {
        boolean force = Params.forceReload(c);
        JsonNode body = Json.object(Json.parse(c.request().body()));
        List<Words> settings = SectionCodec.globalSettings(body);
        Accepted w = write(c, doc -> {
            if (ConfigEditor.section(doc, "global", null) == null) {
                return ConfigEditor.addSection(doc, Words.of("global"), settings);
            }
            return ConfigEditor.replaceSettings(doc, "global", null, SectionCodec.globalManaged(), settings);
        });
        ConfigDocument doc = service.view(Params.transaction(c));
        return written(w, force, 200, SectionCodec.globalToJson(doc, ConfigEditor.section(doc, "global", null)));
    }

    // ---------------------------------------------------------------- sections

    private ApiResponse listSections(Call c, SectionCodec codec) {
        ConfigDocument doc = service.view(Params.transaction(c));
        ArrayNode out = Json.array();
        for (Section s : ConfigEditor.sections(doc, codec.keyword())) {
            out.add(codec.toJson(doc, s));
        }
        return ApiResponse.json(200, out);
    }

    private ApiResponse getSection(Call c, SectionCodec codec) {
        ConfigDocument doc = service.view(Params.transaction(c));
        Section s = ConfigEditor.section(doc, codec.keyword(), c.param("name"));
        if (s == null) {
            throw ApiException.notFound(capital(codec.keyword()) + " " + c.param("name") + " does not exist");
        }
        return ApiResponse.json(200, codec.toJson(doc, s));
    }

    private ApiResponse createSection(Call c, SectionCodec codec) {
        boolean force = Params.forceReload(c);
        JsonNode body = Json.object(Json.parse(c.request().body()));
        String name = Json.string(body, "name", true, Json.NAME);
        Words header = codec.header(name, body);
        List<Words> settings = codec.settings(body);
        Accepted w = write(c,
                doc -> ConfigEditor.addSection(doc, header, settings));
        return written(w, force, 201, sectionAfter(c, codec, name));
    }

    private ApiResponse replaceSection(Call c, SectionCodec codec) {
        boolean force = Params.forceReload(c);
        JsonNode body = Json.object(Json.parse(c.request().body()));
        String name = c.param("name");
        Words header = codec.header(name, body);
        List<Words> settings = codec.settings(body);
        Accepted w = write(c, doc -> {
            ConfigDocument out = ConfigEditor.replaceSettings(doc, codec.keyword(), name, codec.managed(), settings);
            Section s = ConfigEditor.section(out, codec.keyword(), name);
            return s.name() == null ? out : ConfigEditor.replaceHeader(out, codec.keyword(), name, header);
        });
        return written(w, force, 200, sectionAfter(c, codec, name));
    }

    private ApiResponse deleteSection(Call c, SectionCodec codec) {
        boolean force = Params.forceReload(c);
        Accepted w = write(c,
                doc -> ConfigEditor.removeSection(doc, codec.keyword(), c.param("name")));
        return written(w, force, 204, null);
    }

    private JsonNode sectionAfter(Call c, SectionCodec codec, String name) {
        ConfigDocument doc = service.view(Params.transaction(c));
        Section s = ConfigEditor.section(doc, codec.keyword(), name);
        return s == null ? Json.object() : codec.toJson(doc, s);
    }

    // ---------------------------------------------------------------- index-addressed children

    private void indexed(Router r, String kind, String keyword, String child, LineCodec codec) {
        String list = BASE + "/" + kind + "/{parent}/" + child;
        r.add("GET", list, Body.NONE, c -> {
            ConfigDocument doc = service.view(Params.transaction(c));
            ArrayNode out = Json.array();
            String aclName = child.equals("acls") ? c.request().param("acl_name") : null;
            for (int i : ConfigEditor.lines(doc, keyword, c.param("parent"), codec.family())) {
                ObjectNode o = codec.toJson(doc.line(i));
                if (aclName == null || aclName.isEmpty() || aclName.equals(o.path("acl_name").asText())) {
                    out.add(o);
                }
            }
            return ApiResponse.json(200, out);
        });
        r.add("PUT", list, Body.JSON, c -> {
            boolean force = Params.forceReload(c);
            JsonNode body = Json.parse(c.request().body());
            if (!body.isArray()) {
                throw ApiException.unprocessable("body must be of type array: \"object\"");
            }
            List<Words> all = new ArrayList<>();
            for (JsonNode item : body) {
                all.add(codec.toWords(item));
            }
            Accepted w = write(c,
                    doc -> ConfigEditor.replaceFamilyWords(doc, keyword, c.param("parent"), codec.family(), all));
            return written(w, force, 200, familyJson(c, keyword, codec));
        });
        String one = list + "/{index}";
        r.add("GET", one, Body.NONE, c -> {
            int index = Params.index(c);
            ConfigDocument doc = service.view(Params.transaction(c));
            List<Integer> lines = ConfigEditor.lines(doc, keyword, c.param("parent"), codec.family());
            if (index < 0 || index >= lines.size()) {
                throw ApiException.notFound("Object " + index + " does not exist in " + keyword + " "
                        + c.param("parent"));
            }
            return ApiResponse.json(200, codec.toJson(doc.line(lines.get(index))));
        });
        r.add("POST", one, Body.JSON, c -> {
            boolean force = Params.forceReload(c);
            int index = Params.index(c);
            Words words = codec.toWords(Json.parse(c.request().body()));
            Accepted w = write(c, doc -> ConfigEditor.insertDirective(
                    doc, keyword, c.param("parent"), codec.family(), index, words));
            return written(w, force, 201, elementJson(c, keyword, codec, index));
        });
        r.add("PUT", one, Body.JSON, c -> {
            boolean force = Params.forceReload(c);
            int index = Params.index(c);
            Words words = codec.toWords(Json.parse(c.request().body()));
            Accepted w = write(c, doc -> ConfigEditor.replaceDirective(
                    doc, keyword, c.param("parent"), codec.family(), index, words));
            return written(w, force, 200, elementJson(c, keyword, codec, index));
        });
        r.add("DELETE", one, Body.NONE, c -> {
            boolean force = Params.forceReload(c);
            int index = Params.index(c);
            Accepted w = write(c, doc -> ConfigEditor.removeDirective(
                    doc, keyword, c.param("parent"), codec.family(), index));
            return written(w, force, 204, null);
        });
    }

    private JsonNode familyJson(Call c, String keyword, LineCodec codec) {
        ConfigDocument doc = service.view(Params.transaction(c));
        ArrayNode out = Json.array();
        for (int i : ConfigEditor.lines(doc, keyword, c.param("parent"), codec.family())) {
            out.add(codec.toJson(doc.line(i)));
        }
        return out;
    }

    private JsonNode elementJson(Call c, String keyword, LineCodec codec, int index) {
        ConfigDocument doc = service.view(Params.transaction(c));
        List<Integer> lines = ConfigEditor.lines(doc, keyword, c.param("parent"), codec.family());
        int i = index < 0 || index >= lines.size() ? lines.size() - 1 : index;
        return i < 0 ? Json.object() : codec.toJson(doc.line(lines.get(i)));
    }

    // ---------------------------------------------------------------- name-addressed children

    private void named(Router r, String kind, String keyword, String child, LineCodec.Named codec) {
        String list = BASE + "/" + kind + "/{parent}/" + child;
        String childKeyword = codec.family().iterator().next();
        r.add("GET", list, Body.NONE, c -> {
            ConfigDocument doc = service.view(Params.transaction(c));
            ArrayNode out = Json.array();
            for (int i : ConfigEditor.lines(doc, keyword, c.param("parent"), codec.family())) {
                out.add(codec.toJson(doc.line(i)));
            }
            return ApiResponse.json(200, out);
        });
        r.add("POST", list, Body.JSON, c -> {
            boolean force = Params.forceReload(c);
            JsonNode body = Json.object(Json.parse(c.request().body()));
            String name = codec.nameFrom(body);
            Words words = codec.toWords(body);
            Accepted w = write(c, doc -> ConfigEditor.addNamed(doc,
                    keyword, c.param("parent"), childKeyword, name, words));
            return written(w, force, 201, namedJson(c, keyword, codec, name));
        });
        String one = list + "/{name}";
        r.add("GET", one, Body.NONE, c -> {
            ConfigDocument doc = service.view(Params.transaction(c));
            return ApiResponse.json(200, namedOrThrow(doc, keyword, c.param("parent"), codec, c.param("name")));
        });
        r.add("PUT", one, Body.JSON, c -> {
            boolean force = Params.forceReload(c);
            JsonNode body = Json.object(Json.parse(c.request().body()));
            Words words = codec.toWords(body);
            String name = codec.nameFrom(body);
            Accepted w = write(c, doc -> ConfigEditor.replaceNamed(
                    doc, keyword, c.param("parent"), childKeyword, c.param("name"), words));
            return written(w, force, 200, namedJson(c, keyword, codec, name));
        });
        r.add("DELETE", one, Body.NONE, c -> {
            boolean force = Params.forceReload(c);
            Accepted w = write(c, doc -> ConfigEditor.removeNamed(doc,
                    keyword, c.param("parent"), childKeyword, c.param("name")));
            return written(w, force, 204, null);
        });
    }

    private JsonNode namedJson(Call c, String keyword, LineCodec.Named codec, String name) {
        ConfigDocument doc = service.view(Params.transaction(c));
        int i = ConfigEditor.named(doc, keyword, c.param("parent"), codec.family().iterator().next(), name);
        return i < 0 ? Json.object() : codec.toJson(doc.line(i));
    }

    private static ObjectNode namedOrThrow(ConfigDocument doc, String keyword, String parent, LineCodec.Named codec,
            String name) {
        int i = ConfigEditor.named(doc, keyword, parent, codec.family().iterator().next(), name);
        if (i < 0) {
            throw ApiException.notFound(codec.what() + " " + name + " does not exist in " + parent + " " + keyword);
        }
        return codec.toJson(doc.line(i));
    }

    // ---------------------------------------------------------------- userlists and users

    private static ObjectNode userlistJson(ConfigDocument doc, Section s) {
        ObjectNode o = Json.object();
        o.put("name", ConfigEditor.name(doc, s));
        return o;
    }

    private void users(Router r) {
        String list = BASE + "/users";
        r.add("GET", list, Body.NONE, c -> {
            String userlist = userlist(c);
            ConfigDocument doc = service.view(Params.transaction(c));
            ArrayNode out = Json.array();
            for (int i : ConfigEditor.lines(doc, "userlist", userlist, Codecs.USER.family())) {
                out.add(Codecs.USER.toJson(doc.line(i)));
            }
            return ApiResponse.json(200, out);
        });
        r.add("POST", list, Body.JSON, c -> {
            boolean force = Params.forceReload(c);
            String userlist = userlist(c);
            JsonNode body = Json.object(Json.parse(c.request().body()));
            String name = Codecs.USER.nameFrom(body);
            Words words = Codecs.USER.toWords(body);
            Accepted w = write(c, doc -> ConfigEditor.addNamed(doc,
                    "userlist", userlist, "user", name, words));
            return written(w, force, 201, userJson(c, userlist, name));
        });
        String one = list + "/{name}";
        r.add("GET", one, Body.NONE, c -> {
            String userlist = userlist(c);
            ConfigDocument doc = service.view(Params.transaction(c));
            return ApiResponse.json(200, namedOrThrow(doc, "userlist", userlist, Codecs.USER, c.param("name")));
        });
        r.add("PUT", one, Body.JSON, c -> {
            boolean force = Params.forceReload(c);
            String userlist = userlist(c);
            JsonNode body = Json.object(Json.parse(c.request().body()));
            Words words = Codecs.USER.toWords(body);
            String name = Codecs.USER.nameFrom(body);
            Accepted w = write(c, doc -> ConfigEditor.replaceNamed(
                    doc, "userlist", userlist, "user", c.param("name"), words));
            return written(w, force, 200, userJson(c, userlist, name));
        });
        r.add("DELETE", one, Body.NONE, c -> {
            boolean force = Params.forceReload(c);
            String userlist = userlist(c);
            Accepted w = write(c, doc -> ConfigEditor.removeNamed(doc,
                    "userlist", userlist, "user", c.param("name")));
            return written(w, force, 204, null);
        });
    }

    private static String userlist(Call c) {
        String u = c.request().param("userlist");
        if (u == null || u.isEmpty()) {
            throw ApiException.badRequest("Query argument userlist is required, but not found");
        }
        return u;
    }

    private JsonNode userJson(Call c, String userlist, String name) {
        ConfigDocument doc = service.view(Params.transaction(c));
        int i = ConfigEditor.named(doc, "userlist", userlist, "user", name);
        return i < 0 ? Json.object() : Codecs.USER.toJson(doc.line(i));
    }

    // ---------------------------------------------------------------- transactions

    private void transactions(Router r) {
        String base = "/v3/services/haproxy/transactions";
        r.add("GET", base, Body.NONE, c -> {
            ArrayNode out = Json.array();
            String status = c.request().param("status");
            for (Transaction t : service.transactions(status == null || status.isEmpty() ? null : status)) {
                out.add(t.toJson());
            }
            return ApiResponse.json(200, out);
        });
        r.add("POST", base, Body.NONE, c -> {
            Transaction t = service.begin(Params.version(c));
            return ApiResponse.json(201, t.toJson());
        });
        r.add("GET", base + "/{id}", Body.NONE, c -> ApiResponse.json(200, service.transaction(c.param("id"))
                .toJson()));
        r.add("PUT", base + "/{id}", Body.NONE, c -> {
            boolean force = Params.bool(c, "force_reload");
            Transaction t = service.transaction(c.param("id"));
            Accepted w = Commits.accepted(service.commit(c.param("id"), Params.author(c)));
            ObjectNode body = t.toJson();
            return force || !(w instanceof Committed cm) ? ApiResponse.json(200, body)
                    : ApiResponse.json(202, body).header("Reload-Id", cm.reloadId());
        });
        r.add("DELETE", base + "/{id}", Body.NONE, c -> {
            service.delete(c.param("id"));
            return ApiResponse.empty(204);
        });
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
