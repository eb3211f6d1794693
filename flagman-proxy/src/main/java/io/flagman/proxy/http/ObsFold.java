package io.flagman.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * Finds obs-fold (RFC 9112 §5.2: a field line that starts with SP or HTAB, continuing the previous one) in a
 * message head, for a decoder that Netty would otherwise let unfold it silently. The decoder calls
 * {@link #headStarts} when Netty creates the message (its start line is parsed) and {@link #folded} after each
 * decode call: Netty consumes at most one head per call, so the bytes consumed while a head is open are head
 * bytes. One pass over bytes already in the buffer (no copy); state carries across reads. One per decoder.
 */
final class ObsFold {
    private boolean inHead;
    private boolean afterLf;

    /** A head that folds a field line. */
    static final class FoldedLineException extends IllegalArgumentException {
        FoldedLineException() {
            super("obs-fold in a header field line (RFC 9112 5.2)", null);
        }
    }

    void headStarts() {
        inHead = true;
        afterLf = false;
    }

    /**
     * True when the bytes {@code [from, buf.readerIndex())} just consumed by one decode call, which appended
     * {@code out[first..]}, fold a line of the head being read. A head Netty already failed is left as it is.
     */
    boolean folded(ByteBuf buf, int from, List<Object> out, int first) {
        if (!inHead) {
            return false;
        }
        HttpMessage head = headIn(out, first);
        if (head != null) {
            inHead = false;
            if (head.decoderResult().isFailure()) {
                return false;
            }
        }
        boolean lf = afterLf;
        for (int i = from, to = buf.readerIndex(); i < to; i++) {
            byte b = buf.getByte(i);
            if (lf && (b == ' ' || b == '\t')) {
                inHead = false;
                return true;
            }
            lf = b == '\n';
        }
        afterLf = lf;
        return false;
    }

    /** The message head among {@code out[first..]}, or null. */
    static HttpMessage headIn(List<Object> out, int first) {
        for (int i = first; i < out.size(); i++) {
            if (out.get(i) instanceof HttpMessage m) {
                return m;
            }
        }
        return null;
    }

    /** Replaces what the decode call appended by {@code head}, failed: the handler refuses it and closes. */
    static void refuse(HttpMessage head, List<Object> out, int first) {
        head.setDecoderResult(DecoderResult.failure(new FoldedLineException()));
        for (int i = out.size() - 1; i >= first; i--) {
            Object o = out.remove(i);
            if (o != head) {
                ReferenceCountUtil.release(o);
            }
        }
        out.add(head);
    }
}
