package io.flagman.proxy;

import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;

/** A server's {@code status} cell of {@code show stat}, by HAProxy's rules (reference §3.3). */
final class ServerStatus {
    private ServerStatus() {}

    static String of(ServerEndpoint e) {
        ServerState s = e.state();
        if (s.adminState() == ServerState.AdminState.MAINT) {
            return "MAINT";
        }
        ServerState.CheckReport check = e.server().check() ? s.lastCheck() : null;
        String progress = check == null ? "" : progress(check.state());
        if (s.health() == ServerState.Health.UP) {
            if (s.adminState() == ServerState.AdminState.DRAIN) {
                return progress.isEmpty() ? "DRAIN" : "DRAIN " + progress;
            }
            if (check == null) {
                return "no check";
            }
            return progress.isEmpty() ? "UP" : "UP " + progress;
        }
        return progress.isEmpty() ? "DOWN" : "DOWN " + progress;
    }

    /** The {@code n/m} of a check state such as {@code UP 1/3}, or "". */
    private static String progress(String state) {
        int sp = state == null ? -1 : state.indexOf(' ');
        return sp < 0 ? "" : state.substring(sp + 1);
    }
}
