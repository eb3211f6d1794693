package io.flagman.control.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Matches a method and path to a route; path segments in braces are parameters. */
public final class Router {

    /** What a route reads from the request body. */
    public enum Body {
        /** Nothing: a body sent anyway is ignored. */
        NONE,
        JSON,
        TEXT
    }

    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(Call call) throws Exception;
    }

    public record Route(String method, String pattern, List<String> segments, Body body, Handler handler) {
        public boolean mutation() {
            return !method.equals("GET") && !method.equals("HEAD");
        }
    }

    /**
     * A request with the route it matched, its path parameters and the authenticated user (null until the
     * {@link ApiHandler} has authenticated it).
     */
    public record Call(ApiRequest request, Route route, Map<String, String> params, String user) {
        public String param(String name) {
            return params.get(name);
        }

        /** This call as made by {@code user}. */
        public Call by(String user) {
            return new Call(request, route, params, user);
        }
    }

    /** The outcome of matching: a call, or no path (404), or the allowed methods (405). */
    public record Match(Call call, List<String> allowed) {}

    private final List<Route> routes = new ArrayList<>();

    public void add(String method, String pattern, Body body, Handler handler) {
        List<String> segs = List.of(pattern.split("/")).stream().filter(s -> !s.isEmpty()).toList();
        routes.add(new Route(method, pattern, segs, body, handler));
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public Match match(ApiRequest request) {
        List<String> path = request.segments();
        TreeSet<String> allowed = new TreeSet<>();
        Call best = null;
        int bestLiterals = -1;
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), path);
            if (params == null) {
                continue;
            }
            int literals = (int) r.segments().stream().filter(s -> !s.startsWith("{")).count();
            if (r.method().equals(request.method()) || (request.method().equals("HEAD") && r.method().equals("GET"))) {
                if (literals > bestLiterals) {
                    best = new Call(request, r, params, null);
                    bestLiterals = literals;
                }
            }
            allowed.add(r.method());
        }
        return new Match(best, List.copyOf(allowed));
    }

    private static Map<String, String> bind(List<String> pattern, List<String> path) {
        if (pattern.size() != path.size()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), path.get(i));
            } else if (!p.equals(path.get(i))) {
                return null;
            }
        }
        return params;
    }
}
