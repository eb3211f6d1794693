package io.flagman.proxy;

import io.flagman.config.model.ForwardFor;
import io.flagman.config.model.Mode;
import io.flagman.proxy.balance.LoadBalancer;
import io.flagman.proxy.http.ErrorPages;
import io.flagman.proxy.http.HttpRules;
import io.flagman.proxy.stats.Counters;
import io.flagman.proxy.upstream.BackendQueue;
import io.flagman.proxy.upstream.ServerEndpoint;
import java.util.List;

/**
 * A backend compiled for one snapshot: its servers (joined with their live state), balancer and rules.
 * Immutable; read by every event loop. Timeouts in milliseconds, 0 meaning none. {@code log} (null when the
 * backend has no log target) receives the backend's own messages, such as health-check transitions.
 * {@code serverClose} is {@code option http-server-close} or {@code httpclose}; {@code httpClose} (the latter)
 * closes the client side too, as HAProxy does when either the frontend or the backend has it.
 * {@code abortOnClose} is {@code option abortonclose}: a request whose client closed (or half-closed) while it
 * waits in the queue or for the connect is aborted instead of being sent. {@code counters} are the backend's
 * statistics, kept by name across applies (per event loop).
 */
public record BackendRuntime(
        String name,
        Mode mode,
        List<ServerEndpoint> servers,
        LoadBalancer balancer,
        HttpRules rules,
        int retries,
        boolean redispatch,
        long connectTimeout,
        long serverTimeout,
        long queueTimeout,
        long tunnelTimeout,
        long serverFinTimeout,
        boolean serverClose,
        boolean httpClose,
        ForwardFor forwardFor,
        ErrorPages errors,
        BackendQueue queue,
        ProxyLog log,
        boolean abortOnClose,
        Counters counters) {

    public int usableServers() {
        int n = 0;
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i).available()) {
                n++;
            }
        }
        return n;
    }

    /** True when some server is up and ready but at its maxconn: a request may wait in the queue. */
    public boolean anyAvailableButFull() {
        for (int i = 0; i < servers.size(); i++) {
            ServerEndpoint s = servers.get(i);
            if (s.available() && s.maxconn() > 0 && !s.usable()) {
                return true;
            }
        }
        return false;
    }
}
