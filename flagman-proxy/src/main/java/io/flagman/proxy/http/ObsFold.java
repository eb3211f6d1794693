package io.flagman.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Finds obs-fold (RFC 9112 §5.2: a field line that starts with SP or HTAB, continuing the previous one) in the
 * bytes of a message head. Netty's decoder unfolds such lines silently; a request that carries one is refused
 * instead, since proxies and servers disagree on what it means. One pass over bytes the decoder has just consumed
 * (no copy); {@code afterLf} carries the state across reads.
 */
final class ObsFold {
    private ObsFold() {}

    /** True when a LF in {@code [from, to)} of {@code buf} (or the one just before it) is followed by SP/HTAB. */
    static boolean in(ByteBuf buf, int from, int to, boolean afterLf) {
        boolean lf = afterLf;
        for (int i = from; i < to; i++) {
            byte b = buf.getByte(i);
            if (lf && (b == ' ' || b == '\t')) {
                return true;
            }
            lf = b == '\n';
        }
        return false;
    }
}
