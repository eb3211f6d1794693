package io.flagman.proxy.runtime;

import io.flagman.config.model.BindAddress;
import io.flagman.config.model.StatsSocket;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One bound runtime socket. A unix socket is bound under a temporary name, given its mode, then renamed over its
 * path (so a stale file from an earlier run is replaced, and no client ever sees the file with the wrong mode);
 * closing deletes the file. I/O runs on the data plane's accept loop; commands run on an executor of their own
 * ({@code flagman-cli}), so a command that waits for the apply lock ({@code add server}) never stalls a loop.
 */
final class CliListener {
    private final Channel channel;
    private final Path file;
    private final EventExecutorGroup executor;
    private volatile StatsSocket socket;
    private volatile CliSettings settings;

    private CliListener(Channel channel, Path file, EventExecutorGroup executor, StatsSocket socket,
            CliSettings settings) {
        this.channel = channel;
        this.file = file;
        this.executor = executor;
        this.socket = socket;
        this.settings = settings;
    }

    StatsSocket socket() {
        return socket;
    }

    /** The line's (possibly new) level and mode, and the global settings, for the connections accepted next. */
    void reconfigure(StatsSocket next, CliSettings nextSettings) {
        this.socket = next;
        this.settings = nextSettings;
        if (file != null && next.mode() >= 0) {
            try {
                Files.setPosixFilePermissions(file, permissions(next.mode()));
            } catch (IOException e) {
                // the file was removed under us: the socket still serves connected clients
            }
        }
    }

    static CliListener bind(Transport transport, StatsSocket socket, CliSettings settings, CommandTable commands,
            AtomicInteger connections) throws ApplyException {
        BindAddress a = socket.address();
        boolean unix = a.family() == BindAddress.Family.UNIX;
        Path file = unix ? Path.of(a.path()).toAbsolutePath() : null;
        Path temp = unix ? file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp")
                : null;
        EventExecutorGroup executor = new DefaultEventExecutorGroup(1, new DefaultThreadFactory("flagman-cli", true));
        CliListener[] self = new CliListener[1];
        ServerBootstrap b = new ServerBootstrap()
                .group(transport.acceptGroup(), transport.acceptGroup())
                .channel(unix ? domainChannel(transport) : transport.serverChannelClass())
                // A client that sends its line and shuts its side (socat at the end of its input) is still answered.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        CliListener l = self[0];
                        CliSession.install(ch, executor, commands, l.socket.level(), l.settings, connections);
                    }
                });
        SocketAddress where;
        if (unix) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                executor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                throw new ApplyException("stats socket " + a.text() + ": cannot remove " + temp + ": " + e.getMessage());
            }
            where = transport.isEpoll() ? new DomainSocketAddress(temp.toString()) : UnixDomainSocketAddress.of(temp);
        } else {
            where = new InetSocketAddress(a.host(), a.port());
        }
        ChannelFuture f = b.bind(where).awaitUninterruptibly();
        if (!f.isSuccess()) {
            executor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new ApplyException("stats socket " + a.text() + ": cannot bind: " + f.cause().getMessage());
        }
        if (unix) {
            try {
                if (socket.mode() >= 0) {
                    Files.setPosixFilePermissions(temp, permissions(socket.mode()));
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | UnsupportedOperationException e) {
                f.channel().close().awaitUninterruptibly();
                executor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                deleteQuietly(temp);
                throw new ApplyException("stats socket " + a.text() + ": cannot put the socket at " + file + ": "
                        + e.getMessage());
            }
        }
        self[0] = new CliListener(f.channel(), file, executor, socket, settings);
        return self[0];
    }

    private static Class<? extends ServerChannel> domainChannel(Transport transport) {
        return transport.isEpoll() ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    }

    /** Stops accepting, closes the connections and deletes the socket file. */
    void close() {
        channel.close().awaitUninterruptibly();
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (file != null) {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // nothing left to do: a stale file is replaced at the next bind
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }
}
