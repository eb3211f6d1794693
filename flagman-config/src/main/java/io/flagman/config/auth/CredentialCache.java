package io.flagman.config.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * Remembers the outcome of Basic-auth checks against one immutable set of users, so that a client that sends the
 * same {@code Authorization} value again costs one SHA-256 instead of one crypt(3) (thousands of SHA-512 rounds).
 * Build one per userlist per configuration: a new configuration builds new caches, so a changed userlist (or
 * password) can never be answered from an old entry.
 *
 * <p>Keyed by the SHA-256 of the header value (the value itself is never kept); entries are compared with
 * {@link MessageDigest#isEqual}. Bounded: two direct-mapped tables of {@code capacity} slots each, one for
 * successes and one for failures, so that a flood of wrong credentials can evict only other failures, never a
 * legitimate user's entry. A slot holds the most recent outcome that hashed to it.
 *
 * <p>Thread-safety: lock-free. Slots are {@link AtomicReferenceArray} elements of immutable entries; racing
 * writers only decide which of two correct entries stays. Safe to share between event loops (a miss writes one
 * slot; a hit only reads).
 */
public final class CredentialCache {
    /** Slots per table unless told otherwise. */
    public static final int DEFAULT_CAPACITY = 256;

    /** One digester per thread (one static instance for all caches, so nothing accumulates per snapshot). */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(CredentialCache::newSha256);

    private record Entry(byte[] digest) {}

    private final AtomicReferenceArray<Entry> successes;
    private final AtomicReferenceArray<Entry> failures;
    private final int mask;
    private final Predicate<BasicCredentials> verifier;

    /**
     * @param capacity slots per table, rounded up to a power of two (at least 1)
     * @param verifier the real check (a crypt), called on a miss only
     */
    public CredentialCache(int capacity, Predicate<BasicCredentials> verifier) {
        int size = Integer.highestOneBit(Math.max(1, Math.min(capacity, 1 << 16)) * 2 - 1);
        this.successes = new AtomicReferenceArray<>(size);
        this.failures = new AtomicReferenceArray<>(size);
        this.mask = size - 1;
        this.verifier = verifier;
    }

    /** Slots per table. */
    public int capacity() {
        return mask + 1;
    }

    /** Entries held now (both tables). */
    public int size() {
        int n = 0;
        for (int i = 0; i <= mask; i++) {
            n += (successes.get(i) != null ? 1 : 0) + (failures.get(i) != null ? 1 : 0);
        }
        return n;
    }

    /**
     * True when {@code header}, an {@code Authorization} value that parsed as {@code credentials}, is accepted:
     * from the cache when this exact value was checked before, else by the verifier (then remembered).
     */
    public boolean verify(String header, BasicCredentials credentials) {
        byte[] digest = sha256(header);
        int slot = slot(digest);
        if (holds(successes, slot, digest)) {
            return true;
        }
        if (holds(failures, slot, digest)) {
            return false;
        }
        boolean ok = verifier.test(credentials);
        (ok ? successes : failures).set(slot, new Entry(digest));
        return ok;
    }

    private static boolean holds(AtomicReferenceArray<Entry> table, int slot, byte[] digest) {
        Entry e = table.get(slot);
        return e != null && MessageDigest.isEqual(e.digest(), digest);
    }

    private int slot(byte[] d) {
        return ((d[0] & 0xff) | (d[1] & 0xff) << 8 | (d[2] & 0xff) << 16 | (d[3] & 0xff) << 24) & mask;
    }

    private static byte[] sha256(String s) {
        return SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
