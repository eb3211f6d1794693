package io.flagman.proxy.balance;

import io.flagman.proxy.rule.SampleSource;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code leastconn}: the eligible server with the lowest {@code activeConnections / weight}. Ties go to the first
 * one after a rotating start, so idle servers share new connections in turn (HAProxy's tree does the same).
 */
final class LeastConnGroup extends Group {

    private final AtomicInteger rotor = new AtomicInteger();

    LeastConnGroup(Candidate[] servers) {
        super(servers);
    }

    @Override
    Candidate pick(SampleSource request) {
        int n = servers.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(rotor.getAndIncrement(), n);
        Candidate best = null;
        long bestConns = 0;
        long bestWeight = 1;
        for (int k = 0; k < n; k++) {
            Candidate c = servers[(start + k) % n];
            int w = c.weight();
            if (w <= 0 || !c.usable()) {
                continue;
            }
            long conns = c.activeConnections();
            // conns / w < bestConns / bestWeight, without division
            if (best == null || conns * bestWeight < bestConns * w) {
                best = c;
                bestConns = conns;
                bestWeight = w;
            }
        }
        return best;
    }
}
