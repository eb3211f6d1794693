package io.flagman.proxy.listen;

import io.flagman.config.model.Bind;
import io.flagman.config.model.Frontend;
import io.flagman.proxy.ProxyContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of a frontend, as the listener accepts it, in an {@link EmbeddedChannel}: the real
 * pipeline initializer builds the pipeline (PROXY decoder when the bind has {@code accept-proxy}, then the
 * frontend's protocol handler), bytes go in as the socket would deliver them, and what the proxy writes back
 * comes out as bytes.
 */
public final class EmbeddedFrontend implements AutoCloseable {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    private final EmbeddedChannel channel;

    private EmbeddedFrontend(EmbeddedChannel channel) {
        this.channel = channel;
    }

    /** A connection accepted by the first bind of {@code frontend}. */
    public static EmbeddedFrontend accept(ProxyContext context, String frontend) {
        Frontend f = context.snapshot().config().frontends().stream().filter(x -> x.name().equals(frontend))
                .findFirst().orElseThrow();
        Bind bind = f.binds().getFirst();
        Listener listener = new Listener(bind, null, frontend, 0);
        ConnectionSlots slots = new ConnectionSlots();
        slots.register(listener);
        return new EmbeddedFrontend(new TcpEmbeddedChannel(new FrontendChannelInitializer(listener, context, slots)));
    }

    /** Delivers {@code bytes} as one read; returns whatever the proxy wrote back meanwhile. */
    public byte[] receive(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
        channel.checkException();
        return written();
    }

    /** The client closes its side; returns whatever the proxy wrote back meanwhile. */
    public byte[] clientCloses() {
        channel.close();
        channel.runPendingTasks();
        channel.checkException();
        return written();
    }

    /** Lets {@code time} pass on the connection's loop (timers fire); returns whatever was written meanwhile. */
    public byte[] advance(Duration time) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
        channel.checkException();
        return written();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    private byte[] written() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object m; (m = channel.readOutbound()) != null; ) {
            if (!(m instanceof ByteBuf b)) {
                io.netty.util.ReferenceCountUtil.release(m);
                throw new AssertionError("the pipeline wrote a " + m.getClass().getName() + ", not bytes");
            }
            byte[] chunk = new byte[b.readableBytes()];
            b.readBytes(chunk);
            b.release();
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** An embedded channel with the socket addresses of a TCP connection, as the initializer expects. */
    private static final class TcpEmbeddedChannel extends EmbeddedChannel {
        TcpEmbeddedChannel(io.netty.channel.ChannelHandler handler) {
            super(handler);
        }

        @Override
        protected SocketAddress localAddress0() {
            return LOCAL;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return CLIENT;
        }
    }
}
