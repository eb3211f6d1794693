package io.flagman.proxy.balance;

import io.flagman.proxy.rule.SampleSource;

/**
 * The servers of one tier of a backend (the active servers, or the backups) and one algorithm's state over them.
 * Thread-safe: called from every event loop.
 */
abstract class Group {

    final Candidate[] servers;

    Group(Candidate[] servers) {
        this.servers = servers;
    }

    /** A usable server of this tier with a positive weight, or null. */
    abstract Candidate pick(SampleSource request);

    /** HAProxy never picks a server whose effective weight is 0, nor one that is down, in maintenance or full. */
    static boolean eligible(Candidate c) {
        return c.weight() > 0 && c.usable();
    }

    /** Sum of the weights of the eligible servers (map-based hashing and random draws). */
    final long totalWeight() {
        long total = 0;
        for (Candidate c : servers) {
            if (eligible(c)) {
                total += c.weight();
            }
        }
        return total;
    }

    /**
     * The eligible server that owns slot {@code slot} (0 ≤ slot &lt; totalWeight) when each server owns as many
     * consecutive slots as its weight, in declaration order (HAProxy's map-based hashing).
     */
    final Candidate bySlot(long slot) {
        Candidate last = null;
        for (Candidate c : servers) {
            if (!eligible(c)) {
                continue;
            }
            last = c;
            slot -= c.weight();
            if (slot < 0) {
                return c;
            }
        }
        return last; // weights changed between the two passes: any eligible server will do
    }
}
