package io.flagman.control.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.config.model.Config;
import io.flagman.control.ApiException;
import io.flagman.control.RuntimeServers;
import io.flagman.control.RuntimeServers.Outcome;
import io.flagman.control.RuntimeStats;
import io.flagman.control.api.Router.Body;
import io.flagman.control.api.Router.Call;
import io.flagman.control.model.Codecs;
import io.flagman.control.model.Json;
import io.flagman.control.service.ConfigService;
import java.util.List;
import java.util.Locale;

/**
 * The runtime endpoints: server state ({@code /services/haproxy/runtime/backends/{b}/servers}: list, get, replace
 * admin state, operational state, weight and address, add, delete; transient, never written to the file), process
 * information ({@code runtime/info}) and native stats ({@code stats/native}), all from the data plane's live state
 * through the {@link RuntimeServers} and {@link RuntimeStats} ports.
 */
public final class RuntimeRoutes {

    private final ConfigService service;
    private final RuntimeServers runtime;
    private final RuntimeStats stats;

    public RuntimeRoutes(ConfigService service, RuntimeServers runtime, RuntimeStats stats) {
        this.service = service;
        this.runtime = runtime;
        this.stats = stats;
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
        r.add("POST", base, Body.JSON, this::add);
        r.add("GET", base + "/{name}", Body.NONE, c -> ApiResponse.json(200, json(server(c))));
        r.add("PUT", base + "/{name}", Body.JSON, this::put);
        r.add("DELETE", base + "/{name}", Body.NONE, this::delete);
        r.add("GET", "/v3/services/haproxy/runtime/info", Body.NONE, c -> info());
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

    /**
     * HAProxy's DPA order: operational state ({@code set server … health}, only when it differs), admin state,
     * weight, address. The body is checked before any step runs, so a refused body changes nothing.
     */
    private ApiResponse put(Call c) {
        RuntimeServers.State before = server(c);
        JsonNode body = Json.object(Json.parse(c.request().body()));
        String operational = Json.enumValue(body, "operational_state", false, List.of("up", "down", "stopping"));
        String admin = Json.enumValue(body, "admin_state", false, List.of("ready", "maint", "drain"));
        Long weight = Json.integer(body, "weight", false, 0L, 256L);
        String address = Json.string(body, "address", false, Json.NO_SPACE);
        Long port = Json.integer(body, "port", false, 1L, 65535L);
        String backend = before.backend();
        String name = before.name();
        if (operational != null && !operational.equals(before.operationalState())) {
            runtime.setHealth(backend, name, operational);
        }
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

    private ApiResponse add(Call c) {
        String backend = c.param("parent");
        JsonNode body = Json.object(Json.parse(c.request().body()));
        String name = Json.string(body, "name", false, Json.NO_SPACE);
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest("the new server must have a name");
        }
        requireBackend(backend);
        List<String> words = Codecs.SERVER.toWords(body).values();
        Outcome outcome = runtime.addServer(backend, name, words.subList(2, words.size()));
        check(outcome);
        return ApiResponse.json(201, body);
    }

    private ApiResponse delete(Call c) {
        String backend = c.param("parent");
        requireBackend(backend);
        RuntimeServers.State s = server(c);
        boolean wasMaint = s.adminState() == RuntimeServers.AdminState.MAINT;
        if (!wasMaint) {
            runtime.setAdminState(backend, s.name(), RuntimeServers.AdminState.MAINT);
        }
        Outcome outcome = runtime.deleteServer(backend, s.name());
        if (!(outcome instanceof Outcome.Done) && !wasMaint) {
            runtime.setAdminState(backend, s.name(), s.adminState()); // refused: the server is as it was
        }
        check(outcome);
        return ApiResponse.empty(204);
    }

    private static void check(Outcome outcome) {
        switch (outcome) {
            case Outcome.Done d -> { }
            case Outcome.NoSuchBackend o -> throw ApiException.notFound(o.message());
            case Outcome.NoSuchServer o -> throw ApiException.notFound(o.message());
            case Outcome.AlreadyExists o -> throw ApiException.conflict(o.message());
            case Outcome.Refused o -> throw ApiException.badRequest(o.message());
            case Outcome.Unsupported o -> throw new ApiException(501, o.message());
        }
    }

    /** {@code runtime_server}: the fields of {@code show servers state} that Flagman has. */
    static ObjectNode json(RuntimeServers.State s) {
        ObjectNode o = Json.object();
        o.put("address", s.address());
        o.put("admin_state", s.adminState().name().toLowerCase(Locale.ROOT));
        o.put("backend_id", s.backendId());
        o.put("backend_name", s.backend());
        o.put("id", Integer.toString(s.id()));
        o.put("iweight", s.initialWeight());
        o.put("last_time_change", s.lastChange());
        o.put("name", s.name());
        o.put("operational_state", s.operationalState());
        if (s.port() > 0) {
            o.put("port", s.port());
        }
        o.put("uweight", s.weight());
        o.put("weight", s.weight());
        return o;
    }

    private ApiResponse info() {
        RuntimeStats.Reading reading = stats.read();
        ObjectNode out = Json.object();
        out.put("error", "");
        out.set("info", NativeStats.info(reading.info()));
        out.put("runtimeAPI", stats.runtimeApi());
        return ApiResponse.json(200, out);
    }

    private ApiResponse stats(Call c) {
        NativeStats.Filter filter = NativeStats.Filter.of(c.request().param("type"), c.request().param("name"),
                c.request().param("parent"));
        ObjectNode out = Json.object();
        out.put("runtimeAPI", stats.runtimeApi());
        out.set("stats", NativeStats.stats(stats.read().rows(), filter));
        return ApiResponse.json(200, out);
    }
}
