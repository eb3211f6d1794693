package io.flagman.proxy.service;

import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;

/** A server's state as HAProxy's stats and exporter name it (the {@code state} label of haproxy_server_status). */
enum ServerStatus {
    DOWN,
    UP,
    MAINT,
    DRAIN,
    NOLB;

    static ServerStatus of(ServerEndpoint e) {
        ServerState s = e.state();
        return switch (s.adminState()) {
            case MAINT -> MAINT;
            case DRAIN -> s.health() == ServerState.Health.DOWN ? DOWN : DRAIN;
            case READY -> s.health() == ServerState.Health.DOWN ? DOWN : UP;
        };
    }

    /** The stats page's text: HAProxy's {@code no check} for an UP server without checks. */
    static String text(ServerEndpoint e) {
        ServerStatus st = of(e);
        if (st == UP && !e.server().check()) {
            return "no check";
        }
        return st.name();
    }
}
