package io.flagman.proxy.balance;

import io.flagman.proxy.rule.SampleSource;
import java.util.function.ToLongFunction;

/**
 * {@code source}, {@code uri}, {@code url_param}, {@code hdr}: map-based hashing as in HAProxy's default
 * {@code hash-type map-based}. The key's hash selects one of the weight slots of the eligible servers, so the
 * same key goes to the same server while the set of eligible servers and their weights are unchanged. When the
 * request has no key (no parameter, no header), the pick falls back to round robin.
 */
final class HashGroup extends Group {

    /** No key for this request: sentinel returned by the key function. */
    static final long NO_KEY = Long.MIN_VALUE;

    private final ToLongFunction<SampleSource> key;
    private final Group fallback;

    HashGroup(Candidate[] servers, ToLongFunction<SampleSource> key) {
        super(servers);
        this.key = key;
        this.fallback = new RoundRobinGroup(servers, false);
    }

    @Override
    Candidate pick(SampleSource request) {
        long hash = key.applyAsLong(request);
        if (hash == NO_KEY) {
            return fallback.pick(request);
        }
        long total = totalWeight();
        if (total == 0) {
            return null;
        }
        return bySlot(Long.remainderUnsigned(mix(hash), total));
    }

    /** Murmur3's 64-bit finalizer: spreads String.hashCode-like keys over every bit. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
