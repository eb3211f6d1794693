package io.flagman.control.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.control.api.Router.Body;
import io.flagman.control.model.Json;
import java.time.Instant;
import java.util.Locale;
import java.util.TreeMap;

/** {@code /v3/info}, {@code /v3/health}, {@code /v3/specification} and the endpoint lists. */
public final class ServiceRoutes {

    private final Instant started = Instant.now();
    private final String version;

    public ServiceRoutes(String version) {
        this.version = version;
    }

    public void register(Router r) {
        r.add("GET", "/v3/info", Body.NONE, c -> {
            ObjectNode api = Json.object();
            api.put("build_date", started.toString());
            api.put("version", version);
            ObjectNode out = Json.object();
            out.set("api", api);
            ObjectNode system = Json.object();
            out.set("system", system);
            return ApiResponse.json(200, out);
        });
        r.add("GET", "/v3/health", Body.NONE, c -> {
            ObjectNode out = Json.object();
            out.put("haproxy", "up");
            return ApiResponse.json(200, out);
        });
        r.add("GET", "/v3/specification", Body.NONE, c -> ApiResponse.json(200, specification(r)));
        r.add("GET", "/v3/specification_openapiv3", Body.NONE, c -> ApiResponse.json(200, specification(r)));
        for (String p : new String[] {"/v3", "/v3/services", "/v3/services/haproxy",
            "/v3/services/haproxy/configuration", "/v3/services/haproxy/runtime"}) {
            r.add("GET", p, Body.NONE, c -> {
                ArrayNode out = Json.array();
                java.util.TreeSet<String> seen = new java.util.TreeSet<>();
                for (Router.Route route : r.routes()) {
                    if (route.pattern().startsWith(p + "/")) {
                        String rest = route.pattern().substring(p.length() + 1);
                        String first = rest.split("/")[0];
                        if (!first.startsWith("{") && seen.add(first)) {
                            ObjectNode e = Json.object();
                            e.put("description", first);
                            e.put("title", first);
                            e.put("url", p + "/" + first);
                            out.add(e);
                        }
                    }
                }
                return ApiResponse.json(200, out);
            });
        }
    }

    /** An OpenAPI 3 document listing exactly the paths and methods this server routes. */
    private ObjectNode specification(Router r) {
        ObjectNode spec = Json.object();
        spec.put("openapi", "3.0.1");
        ObjectNode info = Json.object();
        info.put("title", "Flagman Data Plane API");
        info.put("description", "The HAProxy Data Plane API v3 as Flagman serves it: every accepted change is"
                + " validated and applied live before the response; see docs/api.md.");
        info.put("version", version);
        spec.set("info", info);
        ArrayNode servers = Json.array();
        servers.add(Json.object().put("url", "/v3"));
        spec.set("servers", servers);
        TreeMap<String, ObjectNode> paths = new TreeMap<>();
        for (Router.Route route : r.routes()) {
            if (!route.pattern().startsWith("/v3")) {
                continue;
            }
            String path = route.pattern().substring(3);
            if (path.isEmpty()) {
                path = "/";
            }
            ObjectNode op = Json.object();
            op.put("operationId", route.method().toLowerCase(Locale.ROOT) + path.replaceAll("[^A-Za-z0-9]+", "_"));
            if (route.body() != Body.NONE) {
                ObjectNode content = Json.object();
                content.set(route.body() == Body.JSON ? "application/json" : "text/plain", Json.object());
                ObjectNode rb = Json.object();
                rb.set("content", content);
                op.set("requestBody", rb);
            }
            ObjectNode responses = Json.object();
            responses.set("default", Json.object().put("description", "see the Data Plane API v3 reference"));
            op.set("responses", responses);
            paths.computeIfAbsent(path, k -> Json.object()).set(route.method().toLowerCase(Locale.ROOT), op);
        }
        ObjectNode p = Json.object();
        paths.forEach(p::set);
        spec.set("paths", p);
        ObjectNode components = Json.object();
        ObjectNode schemes = Json.object();
        schemes.set("basic_auth", Json.object().put("type", "http").put("scheme", "basic"));
        components.set("securitySchemes", schemes);
        spec.set("components", components);
        return spec;
    }
}
