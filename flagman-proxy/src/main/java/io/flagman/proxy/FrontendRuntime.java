package io.flagman.proxy;

import io.flagman.config.model.ForwardFor;
import io.flagman.config.model.Frontend;
import io.flagman.config.model.Mode;
import io.flagman.proxy.http.ErrorPages;
import io.flagman.proxy.http.HttpRules;
import io.flagman.proxy.rule.CompiledLogFormat;
import io.flagman.proxy.rule.RequestPredicate;
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

    /** {@code use_backend <name> if <cond>}; {@code dynamic} is set when the name is a log-format. */
    public record Route(RequestPredicate when, String backend, CompiledLogFormat dynamic) {}
}
