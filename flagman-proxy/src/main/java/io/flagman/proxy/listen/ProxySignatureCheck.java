package io.flagman.proxy.listen;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * In front of the PROXY protocol decoder of an {@code accept-proxy} bind: closes the connection as soon as its
 * first bytes cannot begin a PROXY header (v1 {@code "PROXY "}, or the 12-byte v2 signature), as HAProxy does.
 * Without it, Netty's decoder takes anything else for a v1 line and waits for its end (up to 108 bytes) or for
 * the header timeout, holding the connection's slot meanwhile. Passes every byte on unchanged and removes itself
 * once the signature is known. Runs on the connection's event loop.
 */
final class ProxySignatureCheck extends ChannelInboundHandlerAdapter {
    private static final byte[] V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final byte[] seen = new byte[V2.length];
    private int count;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf b)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int take = Math.min(seen.length - count, b.readableBytes());
        b.getBytes(b.readerIndex(), seen, count, take);
        count += take;
        boolean v1 = matches(V1);
        boolean v2 = matches(V2);
        if (!v1 && !v2) {
            b.release();
            ctx.close();
            return;
        }
        ctx.fireChannelRead(b);
        if ((v1 && count >= V1.length) || (v2 && count >= V2.length)) {
            ctx.pipeline().remove(this);
        }
    }

    /** Whether the bytes seen so far are a prefix of {@code signature}, or begin with all of it. */
    private boolean matches(byte[] signature) {
        int n = Math.min(count, signature.length);
        for (int i = 0; i < n; i++) {
            if (seen[i] != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
