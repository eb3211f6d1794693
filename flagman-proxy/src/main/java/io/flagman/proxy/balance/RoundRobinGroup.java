package io.flagman.proxy.balance;

import io.flagman.proxy.rule.SampleSource;

/**
 * Smooth weighted round robin (nginx's algorithm; the same interleaving as HAProxy's dynamic {@code roundrobin}):
 * each pick adds every eligible server's weight to its running score, takes the highest score and subtracts the
 * total from it. Weights {5,1,1} give a a b a c a a, not a a a a a b c. Weights are read live on every pick
 * ({@code roundrobin}) or fixed at construction ({@code static-rr}).
 */
final class RoundRobinGroup extends Group {

    private final int[] staticWeights;

    // Guarded by this. The critical section is one pass over the tier: a few ns for typical backends.
    private final long[] score;

    RoundRobinGroup(Candidate[] servers, boolean staticWeights) {
        super(servers);
        this.score = new long[servers.length];
        if (staticWeights) {
            this.staticWeights = new int[servers.length];
            for (int i = 0; i < servers.length; i++) {
                this.staticWeights[i] = servers[i].weight();
            }
        } else {
            this.staticWeights = null;
        }
    }

    @Override
    Candidate pick(SampleSource request) {
        synchronized (this) {
            long total = 0;
            int best = -1;
            for (int i = 0; i < servers.length; i++) {
                Candidate c = servers[i];
                int w = staticWeights == null ? c.weight() : staticWeights[i];
                if (w <= 0 || c.weight() <= 0 || !c.usable()) {
                    continue;
                }
                score[i] += w;
                total += w;
                if (best < 0 || score[i] > score[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                return null;
            }
            score[best] -= total;
            return servers[best];
        }
    }
}
