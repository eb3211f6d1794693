package io.flagman.proxy;

import io.flagman.config.model.ForwardFor;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.Mode;
import io.flagman.proxy.http.ErrorPages;
import io.flagman.proxy.http.HttpRules;
import io.flagman.proxy.rule.CompiledLogFormat;
import io.flagman.proxy.rule.RequestPredicate;
import io.flagman.proxy.rule.SampleSource;
import io.flagman.proxy.stats.Counters;
import java.util.List;

/**
 * A frontend (or the frontend half of a {@code listen}) compiled for one snapshot. Immutable; read by every
 * event loop. Timeouts are in milliseconds, 0 meaning none.
 *
 * @param httpClose {@code option httpclose}: both sides close after each exchange (whatever the backend says)
 * @param serverClose {@code option http-server-close} or {@code httpclose}: the server side closes after each
 *     response (HAProxy: enabled when the frontend or the backend has it)
 * @param log null when the frontend has no log target
 * @param counters the frontend's statistics, kept by name across applies (per event loop)
 */
public record FrontendRuntime(
        String name,
        Mode mode,
        Frontend config,
        HttpRules rules,
        List<Route> routes,
        String defaultBackend,
        ForwardFor forwardFor,
        long clientTimeout,
        long httpRequestTimeout,
        long keepAliveTimeout,
        long clientFinTimeout,
        boolean httpClose,
        boolean serverClose,
        ProxyLog log,
        boolean httpLog,
        boolean tcpLog,
        ErrorPages errors,
        Counters counters,
        boolean socketStats) {

    /** {@link #route}'s answer when no use_backend rule chose: the default backend (if any) is used. */
    public static final int DEFAULT_ROUTE = -1;

    /**
     * {@code use_backend <name> if <cond>}; {@code dynamic} is set when the name is a log-format; {@code line} is
     * the rule's source line.
     */
    public record Route(RequestPredicate when, String backend, CompiledLogFormat dynamic, int line) {}

    /**
     * Backend switching, as the data plane runs it for every request or connection: the index of the first
     * {@code use_backend} rule whose condition holds and whose backend exists in {@code snapshot}, or
     * {@link #DEFAULT_ROUTE}. {@link #backend} gives the backend it names.
     */
    public int route(SampleSource s, Snapshot snapshot) {
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            if (r.when().test(s) && snapshot.backend(r.dynamic() != null ? r.dynamic().render(s) : r.backend()) != null) {
                return i;
            }
        }
        return DEFAULT_ROUTE;
    }

    /** The backend {@code route} (an answer of {@link #route}) names; null when it is the default and none is set. */
    public BackendRuntime backend(int route, SampleSource s, Snapshot snapshot) {
        if (route == DEFAULT_ROUTE) {
            return snapshot.backend(defaultBackend);
        }
        Route r = routes.get(route);
        return snapshot.backend(r.dynamic() != null ? r.dynamic().render(s) : r.backend());
    }
}
