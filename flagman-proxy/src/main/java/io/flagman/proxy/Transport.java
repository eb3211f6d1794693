package io.flagman.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The I/O transport: native epoll when available, NIO otherwise. One worker group serves accepted client
 * connections and their upstream connections (an upstream lives on its client's event loop).
 */
public final class Transport {
    private final boolean epoll;
    private final EventLoopGroup acceptGroup;
    private final EventLoopGroup workerGroup;
    private final int threads;

    Transport(int threads) {
        this.epoll = Epoll.isAvailable();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.threads = n;
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("flagman-accept", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.workerGroup = new MultiThreadIoEventLoopGroup(n, new DefaultThreadFactory("flagman-io", true), factory);
    }

    /** The number of worker event loops ({@code nbthread}). */
    public int threads() {
        return threads;
    }

    public boolean isEpoll() {
        return epoll;
    }

    public EventLoopGroup acceptGroup() {
        return acceptGroup;
    }

    public EventLoopGroup workerGroup() {
        return workerGroup;
    }

    public Class<? extends ServerSocketChannel> serverChannelClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> channelClass() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    void shutdown() {
        acceptGroup.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
