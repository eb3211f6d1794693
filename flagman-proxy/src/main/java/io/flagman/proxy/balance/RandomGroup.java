package io.flagman.proxy.balance;

import io.flagman.proxy.rule.SampleSource;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code random(<draws>)}: draws {@code draws} servers at random, each with a probability proportional to its
 * weight, and keeps the least loaded ({@code activeConnections / weight}): HAProxy's "power of two choices"
 * with the default of 2 draws.
 */
final class RandomGroup extends Group {

    private final int draws;

    RandomGroup(Candidate[] servers, int draws) {
        super(servers);
        this.draws = Math.max(1, draws);
    }

    @Override
    Candidate pick(SampleSource request) {
        long total = totalWeight();
        if (total == 0) {
            return null;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Candidate best = null;
        for (int i = 0; i < draws; i++) {
            Candidate c = bySlot(random.nextLong(total));
            if (c == null) {
                continue;
            }
            if (best == null
                    || (long) c.activeConnections() * best.weight() < (long) best.activeConnections() * c.weight()) {
                best = c;
            }
        }
        return best;
    }
}
