package io.flagman.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.config.model.Backend;
import io.flagman.config.model.Config;
import io.flagman.config.model.Frontend;
import io.flagman.control.ApiException;
import io.flagman.control.RuntimeServers;
import io.flagman.control.api.Router.Body;
import io.flagman.control.api.Router.Call;
import io.flagman.control.model.Json;
import io.flagman.control.service.ConfigService;
import java.util.List;
import java.util.Locale;

/**
 * Runtime server state ({@code /services/haproxy/runtime/backends/{b}/servers}: admin state, weight, address;
 * transient, never written to the file) and native stats.
 */
public final class RuntimeRoutes {

    private final ConfigService service;
    private final RuntimeServers runtime;

    public RuntimeRoutes(ConfigService service, RuntimeServers runtime) {
        this.service = service;
        this.runtime = runtime;
    }

    public void register(Router r) {
        String base = "/v3/services/haproxy/runtime/backends/{parent}/servers";
        r.add("GET", base, Body.NONE, c -> {
            String backend = c.param("parent");
            requireBackend(backend);
            ArrayNode out = Json.array();
            for (RuntimeServers.State s : runtime.servers(backend)) {
                out.add(json(s));
            }
            return ApiResponse.json(200, out);
        });
        r.add("GET", base + "/{name}", Body.NONE, c -> ApiResponse.json(200, json(server(c))));
        r.add("PUT", base + "/{name}", Body.JSON, this::put);
        r.add("GET", "/v3/services/haproxy/stats/native", Body.NONE, this::stats);
    }

    private void requireBackend(String backend) {
        Config config = service.current().config();
        if (config == null || config.backend(backend).isEmpty()) {
            throw ApiException.notFound("backend " + backend + " does not exist");
        }
    }

    private RuntimeServers.State server(Call c) {
        String backend = c.param("parent");
        String name = c.param("name");
        return runtime.server(backend, name).orElseThrow(() -> ApiException.notFound("server " + name
                + " does not exist in " + backend + " backend"));
    }

    private ApiResponse put(Call c) {
        RuntimeServers.State before = server(c);
        JsonNode body = Json.object(Json.parse(c.request().body()));
        String admin = Json.enumValue(body, "admin_state", false, List.of("ready", "maint", "drain"));
        Json.enumValue(body, "operational_state", false, List.of("up", "down", "stopping"));
        Long weight = Json.integer(body, "weight", false, 0L, 256L);
        String address = Json.string(body, "address", false, Json.NO_SPACE);
        Long port = Json.integer(body, "port", false, 1L, 65535L);
        String backend = before.backend();
        String name = before.name();
        if (admin != null) {
            runtime.setAdminState(backend, name, RuntimeServers.AdminState.valueOf(admin.toUpperCase(Locale.ROOT)));
        }
        if (weight != null) {
            runtime.setWeight(backend, name, weight.intValue());
        }
        if (address != null || port != null) {
            runtime.setAddress(backend, name, address != null ? address : before.address(),
                    port != null ? port.intValue() : before.port());
        }
        return ApiResponse.json(200, json(server(c)));
    }

    static ObjectNode json(RuntimeServers.State s) {
        ObjectNode o = Json.object();
        o.put("address", s.address());
        o.put("admin_state", s.adminState().name().toLowerCase(Locale.ROOT));
        o.put("backend_name", s.backend());
        o.put("name", s.name());
        o.put("operational_state", s.operationalState());
        if (s.port() > 0) {
            o.put("port", s.port());
        }
        o.put("weight", s.weight());
        return o;
    }

    private ApiResponse stats(Call c) {
        String type = c.request().param("type");
        String name = c.request().param("name");
        String parent = c.request().param("parent");
        if (name != null && !name.isEmpty() && (type == null || type.isEmpty())) {
            throw ApiException.badRequest("Type required when filtering by name");
        }
        if ("server".equals(type) && name != null && !name.isEmpty() && (parent == null || parent.isEmpty())) {
            throw ApiException.badRequest("Parent required when filtering server by name");
        }
        if (type != null && !type.isEmpty() && !List.of("frontend", "backend", "server").contains(type)) {
            throw ApiException.badRequest("type in query should be one of [backend frontend server]");
        }
        Config config = service.current().config();
        ArrayNode stats = Json.array();
        if (config != null) {
            if (want(type, "frontend")) {
                for (Frontend f : config.frontends()) {
                    if (matches(name, f.name())) {
                        ObjectNode s = Json.object();
                        s.put("status", f.disabled() ? "STOP" : "OPEN");
                        stats.add(row("frontend", f.name(), null, s));
                    }
                }
            }
            for (Backend b : config.backends()) {
                if (want(type, "backend") && matches(name, b.name())) {
                    ObjectNode s = Json.object();
                    List<RuntimeServers.State> servers = runtime.servers(b.name());
                    boolean up = servers.isEmpty() || servers.stream().anyMatch(x -> x.adminState()
                            == RuntimeServers.AdminState.READY && x.operationalState().equals("up"));
                    s.put("status", up ? "UP" : "DOWN");
                    stats.add(row("backend", b.name(), null, s));
                }
                if (want(type, "server") && (parent == null || parent.isEmpty() || parent.equals(b.name()))) {
                    for (RuntimeServers.State st : runtime.servers(b.name())) {
                        if (matches(name, st.name())) {
                            ObjectNode s = Json.object();
                            s.put("scur", st.currentSessions());
                            s.put("status", switch (st.adminState()) {
                                case MAINT -> "MAINT";
                                case DRAIN -> "DRAIN";
                                case READY -> st.operationalState().equals("up") ? "UP" : "DOWN";
                            });
                            s.put("stot", st.totalSessions());
                            s.put("weight", st.weight());
                            stats.add(row("server", st.name(), b.name(), s));
                        }
                    }
                }
            }
        }
        ObjectNode out = Json.object();
        out.put("runtimeAPI", "flagman (in-process)");
        out.set("stats", stats);
        return ApiResponse.json(200, out);
    }

    private static boolean want(String type, String t) {
        return type == null || type.isEmpty() || type.equals(t);
    }

    private static boolean matches(String filter, String name) {
        return filter == null || filter.isEmpty() || filter.equals(name);
    }

    private static ObjectNode row(String type, String name, String backend, ObjectNode stats) {
        ObjectNode o = Json.object();
        if (backend != null) {
            o.put("backend_name", backend);
        }
        o.put("name", name);
        o.set("stats", stats);
        o.put("type", type);
        return o;
    }
}
