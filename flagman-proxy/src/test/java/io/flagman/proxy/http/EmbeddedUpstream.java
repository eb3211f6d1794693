package io.flagman.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DefaultSocketChannelConfig;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketChannelConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upstream connection without a network, for {@code EmbeddedChannel} tests of the HTTP handler: the upstream
 * connector makes these (by class, as it makes real socket channels) on the client channel's embedded loop. A
 * connect completes at once unless {@link #holdConnects} is set; then it waits for {@link #completeConnect} or
 * {@link #failConnect}. The test reads what the proxy sent and writes what the server answers.
 */
public final class EmbeddedUpstream extends EmbeddedChannel implements SocketChannel {
    /** Upstreams made so far, oldest first (the handler tests run one at a time, on one thread). */
    static final Deque<EmbeddedUpstream> MADE = new ArrayDeque<>();
    static boolean holdConnects;

    private final Socket unconnected = new Socket();
    private SocketChannelConfig config;
    private ChannelPromise heldConnect;
    private Runnable releaseConnect;
    private boolean inputShutdown;
    private boolean outputShutdown;

    public EmbeddedUpstream() {
        super(false, false);
        pipeline().addFirst("connect-gate", new ChannelOutboundHandlerAdapter() {
            @Override
            public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local,
                    ChannelPromise promise) {
                if (holdConnects) {
                    heldConnect = promise;
                    releaseConnect = () -> ctx.connect(remote, local, promise);
                } else {
                    ctx.connect(remote, local, promise);
                }
            }
        });
        MADE.add(this);
    }

    static void reset() {
        MADE.clear();
        holdConnects = false;
    }

    boolean connectHeld() {
        return heldConnect != null && !heldConnect.isDone();
    }

    void completeConnect() {
        releaseConnect.run();
    }

    void failConnect() {
        heldConnect.setFailure(new IOException("connection refused (test)"));
    }

    /** Everything the proxy wrote to this server so far, as text. */
    String sent() {
        StringBuilder b = new StringBuilder();
        Object o;
        while ((o = readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) o;
            b.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return b.toString();
    }

    /** The server answers {@code text}. */
    void answer(String text) {
        writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    @Override
    public synchronized SocketChannelConfig config() {
        if (config == null) {
            config = new DefaultSocketChannelConfig(this, unconnected);
        }
        return config;
    }

    @Override
    protected void doClose() throws Exception {
        super.doClose();
        unconnected.close();
    }

    @Override
    public ServerSocketChannel parent() {
        return null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 50000);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        inputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        outputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isShutdown() {
        return inputShutdown && outputShutdown;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        inputShutdown = true;
        outputShutdown = true;
        return promise.setSuccess();
    }
}
