package io.flagman.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flagman.control.ApiException;
import io.flagman.control.api.ApiResponse;
import io.flagman.control.api.Router;
import io.flagman.control.api.Router.Body;
import io.flagman.control.model.Json;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The fleet's API on every node, {@code /v3/fleet/...} (docs/cluster.md "API"), behind the same authentication as
 * the rest of {@code /v3}; registered through {@code ControlPlane.Options.withRoutes}. Reads: nodes, channels,
 * versions (text with {@code ?raw=1}), history, diff, drafts. Changes: promote, rollback, actions; the API user is
 * the one recorded ({@code by}). Expected failures map to 409 (refused, conflict), 400 (bad input, unknown
 * version/channel) and 503 (etcd unavailable), with the usual {@code {code,message}} body.
 */
public final class FleetRoutes implements Consumer<Router> {
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final Fleet fleet;
    private final EtcdStore store;
    private final FleetActions actions;

    public FleetRoutes(Fleet fleet, FleetActions actions) {
        this.fleet = fleet;
        this.store = fleet.store();
        this.actions = actions;
    }

    @Override
    public void accept(Router r) {
        r.add("GET", "/v3/fleet", Body.NONE, c -> ApiResponse.json(200, index()));
        r.add("GET", "/v3/fleet/nodes", Body.NONE, c -> ApiResponse.json(200, ClusterJson.mapper()
                .valueToTree(done(fleet.fleetView()).nodes())));
        r.add("GET", "/v3/fleet/channels", Body.NONE, c -> ok(store.channels()));
        r.add("GET", "/v3/fleet/versions", Body.NONE, c -> ok(store.versions()));
        r.add("GET", "/v3/fleet/versions/{n}", Body.NONE, this::version);
        r.add("GET", "/v3/fleet/history", Body.NONE, c -> ApiResponse.json(200, ClusterJson.mapper()
                .valueToTree(done(fleet.history(c.request().param("channel"))))));
        r.add("GET", "/v3/fleet/diff", Body.NONE, this::diff);
        r.add("GET", "/v3/fleet/drafts", Body.NONE, c -> ok(store.drafts(c.request().param("node"))));
        r.add("POST", "/v3/fleet/promote", Body.JSON, badInput(this::promote));
        r.add("POST", "/v3/fleet/rollback", Body.JSON, badInput(this::rollback));
        r.add("POST", "/v3/fleet/actions", Body.JSON, badInput(this::action));
    }

    /** The Data Plane API's body checks answer 422; the fleet's bad input is a 400 (docs/cluster.md "API"). */
    private static Router.Handler badInput(Router.Handler h) {
        return c -> {
            try {
                return h.handle(c);
            } catch (ApiException e) {
                throw e.status() == 422 ? ApiException.badRequest(e.getMessage()) : e;
            }
        };
    }

    private static ObjectNode index() {
        ObjectNode o = Json.object();
        for (String p : List.of("nodes", "channels", "versions", "history", "diff", "drafts", "promote", "rollback",
                "actions")) {
            o.put(p, "/v3/fleet/" + p);
        }
        return o;
    }

    private ApiResponse version(Router.Call c) {
        long n = positive(c.param("n"), "version");
        ConfigVersion version = read(store.version(n)).orElseThrow(() -> ApiException.notFound("no version " + n
                + " in etcd under " + store.prefix()));
        if ("1".equals(c.request().param("raw")) || "true".equals(c.request().param("raw"))) {
            return ApiResponse.text(200, version.text());
        }
        ObjectNode o = (ObjectNode) ClusterJson.mapper().valueToTree(version.info());
        o.put("text", version.text());
        return ApiResponse.json(200, o);
    }

    private ApiResponse diff(Router.Call c) {
        long from = positive(c.request().param("from"), "from");
        long to = positive(c.request().param("to"), "to");
        FleetResult<String> d = fleet.diff(from, to);
        if (d instanceof FleetResult.Done<String> done) {
            return ApiResponse.text(200, done.value());
        }
        throw failure(d);
    }

    private ApiResponse promote(Router.Call c) {
        JsonNode body = Json.object(Json.parse(c.request().body()));
        String to = Json.string(body, "to", true, Json.NAME);
        String by = c.user();
        if (Json.bool(body, "continue")) {
            return moved(fleet.continuePromotion(to, by));
        }
        String from = Json.string(body, "from", true, Json.NAME);
        Long version = Json.integer(body, "version", false, 1L, null);
        PromoteRequest req = PromoteRequest.of(from, to, by);
        if (version != null) {
            req = req.withVersion(version);
        }
        if (Json.has(body, "canary")) {
            JsonNode canary = body.get("canary");
            req = req.withCanary(PromoteRequest.CanarySpec.parse(canary.isNumber() ? canary.asText()
                    : Json.string(body, "canary", true, null)));
        }
        String confirm = Json.string(body, "confirm", false, null);
        if (confirm != null) {
            Double rate = body.has("max_http_5xx_rate") ? body.get("max_http_5xx_rate").asDouble(-1) : null;
            if (rate != null && (rate <= 0 || rate > 1)) {
                throw ApiException.badRequest("max_http_5xx_rate must be a fraction in (0, 1], e.g. 0.05");
            }
            req = req.withConfirm(duration(confirm, "confirm"), rate == null ? Confirm.DEFAULT_MAX_HTTP5XX_RATE
                    : rate);
        }
        if (Json.bool(body, "force")) {
            req = req.forced();
        }
        return moved(fleet.promote(req));
    }

    private ApiResponse rollback(Router.Call c) {
        JsonNode body = Json.object(Json.parse(c.request().body()));
        String channel = Json.string(body, "channel", true, Json.NAME);
        long to = Json.integer(body, "to", true, 1L, null);
        return moved(fleet.rollback(channel, to, c.user()));
    }

    private ApiResponse action(Router.Call c) {
        JsonNode body = Json.object(Json.parse(c.request().body()));
        String channel = Json.string(body, "channel", true, Json.NAME);
        String command = Json.string(body, "command", true, null);
        Duration wait = FleetActions.DEFAULT_WAIT;
        String w = Json.string(body, "wait", false, null);
        if (w != null) {
            wait = duration(w, "wait");
            if (wait.compareTo(MAX_WAIT) > 0) {
                throw ApiException.badRequest("wait: at most " + MAX_WAIT.toSeconds() + "s");
            }
        }
        return switch (actions.run(channel, command, c.user(), wait)) {
            case FleetActions.Outcome.Invalid i -> throw ApiException.badRequest(i.message());
            case FleetActions.Outcome.Refused r -> throw ApiException.conflict(r.message());
            case FleetActions.Outcome.Unavailable u -> throw new ApiException(503, unavailable(u.message()));
            case FleetActions.Outcome.Done d -> {
                ObjectNode o = ClusterJson.mapper().valueToTree(d.report());
                o.put("ok", d.report().ok());
                o.put("message", FleetActions.summary(d.report()));
                yield ApiResponse.json(d.report().ok() ? 200 : 409, o);
            }
        };
    }

    private static ApiResponse moved(FleetResult<PromoteOutcome> r) {
        if (r instanceof FleetResult.Done<PromoteOutcome> d) {
            ObjectNode o = Json.object();
            o.set("pointer", ClusterJson.mapper().valueToTree(d.value().pointer()));
            if (d.value().entry() != null) {
                o.set("history", ClusterJson.mapper().valueToTree(d.value().entry()));
            }
            o.put("message", d.message());
            return ApiResponse.json(200, o);
        }
        throw failure(r);
    }

    private static <T> T done(FleetResult<T> r) {
        if (r instanceof FleetResult.Done<T> d) {
            return d.value();
        }
        throw failure(r);
    }

    private static ApiResponse ok(StoreResult<?> r) {
        return ApiResponse.json(200, ClusterJson.mapper().valueToTree(read(r)));
    }

    /** A store read's value; its failure as the API's error (a read never conflicts: 503 when etcd is away). */
    private static <T> T read(StoreResult<T> r) {
        if (r instanceof StoreResult.Ok<T> ok) {
            return ok.value();
        }
        throw failure(FleetResult.of(r));
    }

    private static ApiException failure(FleetResult<?> r) {
        return switch (r) {
            case FleetResult.Unavailable<?> u -> new ApiException(503, unavailable(u.message()));
            default -> new ApiException(r.httpStatus(), r.message());
        };
    }

    private static String unavailable(String message) {
        return "etcd is unavailable (" + message + "): nothing was changed; try again when it is back";
    }

    private static long positive(String text, String name) {
        if (text == null) {
            throw ApiException.badRequest("missing '" + name + "': a version number");
        }
        try {
            long n = Long.parseLong(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("'" + name + "' must be a version number (1, 2, …), not '" + text + "'");
    }

    /** {@code 60s}, {@code 2m}, {@code 500ms}, {@code 1h}: HAProxy's time units. */
    static Duration duration(String text, String name) {
        Duration d = Durations.parse(text);
        if (d == null || d.isZero() || d.isNegative()) {
            throw ApiException.badRequest(name + ": '" + text + "' is not a duration (e.g. 60s, 2m, 500ms)");
        }
        return d;
    }
}
