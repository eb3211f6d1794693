package io.flagman.proxy.service;

import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.upstream.ServerEndpoint;

/** A backend's derived figures as HAProxy's stats compute them: status, effective weight, usable servers. */
final class BackendFigures {

    private BackendFigures() {}

    /** Servers that take traffic (up, ready, weight above 0), active or backup ones. */
    static int usable(BackendRuntime b, boolean backup) {
        int n = 0;
        for (ServerEndpoint e : b.servers()) {
            if (e.backup() == backup && ServerStatus.of(e) == ServerStatus.UP && e.weight() > 0) {
                n++;
            }
        }
        return n;
    }

    /** Sum of the usable active servers' weights, or of the backups' when no active one is usable. */
    static long weight(BackendRuntime b) {
        boolean backups = usable(b, false) == 0;
        long w = 0;
        for (ServerEndpoint e : b.servers()) {
            if (e.backup() == backups && ServerStatus.of(e) == ServerStatus.UP) {
                w += e.weight();
            }
        }
        return w;
    }

    /** {@code UP} when the effective weight is above 0 or the backend has no server. */
    static boolean up(BackendRuntime b) {
        return b.servers().isEmpty() || weight(b) > 0;
    }
}
