package io.flagman.proxy.health;

import io.flagman.config.model.Backend;
import io.flagman.config.model.HttpCheck;
import io.flagman.config.model.ProxyOption;
import io.flagman.config.model.Timeout;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.upstream.ServerEndpoint;
import java.time.Duration;

/**
 * What one server's checks do, from the snapshot in force (replaced on each apply; immutable).
 *
 * <p>Timeouts follow HAProxy's {@code timeout check}: when it is set, the connection gets
 * {@code min(inter, timeout connect)} and, once established, the rest of the check gets {@code timeout check}; when
 * it is unset, {@code inter} bounds the whole check (connect + response).
 *
 * @param http the {@code option httpchk} request, or null for a layer-4 check (TCP connect, or TLS handshake)
 * @param connectMillis the bound on the connection (the whole check when {@code checkMillis} is 0)
 * @param checkMillis {@code timeout check}, or 0
 */
record CheckSettings(ServerEndpoint endpoint, BackendRuntime backend, HttpCheck http, long interMillis,
        long connectMillis, long checkMillis, boolean logHealthChecks) {

    static CheckSettings of(ServerEndpoint endpoint, BackendRuntime backend, Backend model) {
        Duration i = endpoint.server().inter();
        long inter = i == null ? 2000 : Math.max(1, i.toMillis());
        Duration check = model.timeouts() == null ? null : model.timeouts().get(Timeout.CHECK);
        Duration connect = model.timeouts() == null ? null : model.timeouts().get(Timeout.CONNECT);
        long checkMillis = check == null ? 0 : Math.max(1, check.toMillis());
        long connectMillis = checkMillis > 0 && connect != null ? Math.min(inter, Math.max(1, connect.toMillis()))
                : inter;
        return new CheckSettings(endpoint, backend, model.httpCheck(), inter, connectMillis, checkMillis,
                model.has(ProxyOption.LOG_HEALTH_CHECKS));
    }

    /** Where the check connects: the server's current address, with {@code addr} and {@code port} over it. */
    java.net.InetSocketAddress target() {
        java.net.InetSocketAddress a = endpoint.address();
        io.flagman.config.model.Server srv = endpoint.server();
        if (!srv.checksElsewhere()) {
            return a;
        }
        java.net.InetAddress host = srv.checkAddr() != null ? java.net.InetAddress.ofLiteral(srv.checkAddr())
                : a.getAddress();
        return new java.net.InetSocketAddress(host, srv.checkPort() > 0 ? srv.checkPort() : a.getPort());
    }

    int rise() {
        return endpoint.server().rise();
    }

    int fall() {
        return endpoint.server().fall();
    }

    String serverId() {
        return backend.name() + "/" + endpoint.name();
    }
}
