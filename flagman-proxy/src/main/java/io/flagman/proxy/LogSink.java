package io.flagman.proxy;

import io.flagman.config.model.LogTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * One log destination ({@code stdout}, {@code stderr}, UDP syslog, or a unix datagram socket such as
 * {@code /dev/log}). Event loops only offer lines to a bounded queue (never block: a full queue drops the line and
 * counts it); a daemon thread writes them. Unix datagram targets are sent with Netty's native epoll
 * {@link EpollDomainDatagramChannel} (unconnected, one {@code sendto} per line as HAProxy does, so a restarted
 * syslog daemon is picked up again); a line is dropped and counted when the socket is not writable or the send
 * fails (no syslog daemon listening).
 */
public final class LogSink implements AutoCloseable {
    private static final String STOP = new String("stop");
    /** RFC 3164 TIMESTAMP: the day of month space-padded to two characters ("Jan  2"). */
    private static final DateTimeFormatter SYSLOG_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss",
            Locale.ROOT);
    /** Syslog severities, index = numeric value. */
    static final String[] LEVELS = {"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
    static final int INFO = 6;
    private static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
        "uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2", "local0", "local1", "local2", "local3",
        "local4", "local5", "local6", "local7"};

    private final String address;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(65536);
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private final PrintStream stream;
    private final DatagramSocket socket;
    private final InetSocketAddress udpTarget;
    private final DomainSocketAddress unixTarget;
    private final Channel unixChannel;

    private LogSink(String address) throws ApplyException {
        this.address = address;
        if (address.equals("stdout") || address.equals("stderr")) {
            this.stream = address.equals("stdout") ? System.out : System.err;
            this.socket = null;
            this.udpTarget = null;
            this.unixTarget = null;
            this.unixChannel = null;
        } else if (unixPath(address) != null) {
            this.stream = null;
            this.socket = null;
            this.udpTarget = null;
            this.unixTarget = new DomainSocketAddress(unixPath(address));
            this.unixChannel = openUnix(address);
        } else {
            this.stream = null;
            this.unixTarget = null;
            this.unixChannel = null;
            this.udpTarget = parseUdp(address);
            try {
                this.socket = new DatagramSocket();
            } catch (IOException e) {
                throw new ApplyException("log " + address + ": " + e.getMessage(), e);
            }
        }
        this.writer = Thread.ofPlatform().daemon().name("flagman-log-" + address).start(this::run);
    }

    /** Opens the destination of {@code target}; rejects unix sockets and other unsupported kinds. */
    static LogSink open(String address) throws ApplyException {
        return new LogSink(address);
    }

    /** Checks that {@code target} is a destination this build can write to. */
    static void check(LogTarget target) throws ApplyException {
        String a = target.address();
        if (target.level() != null && severity(target.level()) < 0) {
            throw new ApplyException("log " + a + ": unknown level '" + target.level() + "' (expected one of: "
                    + String.join(" ", LEVELS) + ")");
        }
        if (a.equals("stdout") || a.equals("stderr")) {
            return;
        }
        if (unixPath(a) != null) {
            if (!Epoll.isAvailable()) {
                throw new ApplyException("log " + a + ": unix socket log targets need Netty's native epoll transport,"
                        + " which is unavailable here (" + Epoll.unavailabilityCause() + "); use udp@host:port");
            }
            return;
        }
        parseUdp(a);
    }

    /** The socket path of a unix datagram target ({@code /dev/log}, {@code unix@/path}), else null. */
    static String unixPath(String a) {
        if (a.startsWith("unix@")) {
            return a.substring(5);
        }
        return a.startsWith("/") ? a : null;
    }

    /** The numeric syslog severity of {@code level}, or -1 when unknown. */
    static int severity(String level) {
        for (int i = 0; i < LEVELS.length; i++) {
            if (LEVELS[i].equals(level)) {
                return i;
            }
        }
        return -1;
    }

    /** One small daemon epoll loop shared by every unix-socket sink; it only sends datagrams. */
    private static final class UnixLoop {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("flagman-log-unix", true), EpollIoHandler.newFactory());
    }

    private static Channel openUnix(String address) throws ApplyException {
        if (!Epoll.isAvailable()) {
            throw new ApplyException("log " + address + ": unix socket log targets need Netty's native epoll"
                    + " transport, which is unavailable here");
        }
        var f = new Bootstrap().group(UnixLoop.GROUP).channel(EpollDomainDatagramChannel.class)
                .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                .handler(new ChannelHandlerAdapter() { })
                .register().awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new ApplyException("log " + address + ": " + f.cause().getMessage(), f.cause());
        }
        return f.channel();
    }

    private static InetSocketAddress parseUdp(String a) throws ApplyException {
        String s = a;
        if (s.startsWith("udp@") || s.startsWith("udp4@") || s.startsWith("udp6@")) {
            s = s.substring(s.indexOf('@') + 1);
        } else if (s.startsWith("/") || s.contains("@")) {
            throw new ApplyException("log " + a + ": unsupported log target (supported: stdout, stderr, "
                    + "udp syslog host[:port]); unix sockets and ring buffers are not implemented");
        }
        int port = 514;
        String host = s;
        int c = s.lastIndexOf(':');
        if (c > 0 && s.indexOf(':') == c) {
            host = s.substring(0, c);
            try {
                port = Integer.parseInt(s.substring(c + 1));
            } catch (NumberFormatException e) {
                throw new ApplyException("log " + a + ": invalid port", e);
            }
        } else if (s.startsWith("[")) {
            int e = s.indexOf(']');
            host = s.substring(1, e);
            if (e + 2 < s.length()) {
                port = Integer.parseInt(s.substring(e + 2));
            }
        }
        return new InetSocketAddress(host, port);
    }

    public String address() {
        return address;
    }

    public long dropped() {
        return dropped.sum();
    }

    /** Formats one info-level message for {@code target} (raw: the message only; else an RFC 3164 header). */
    static String frame(LogTarget target, String message) {
        return frame(target, INFO, message);
    }

    /**
     * Formats one message of syslog {@code severity} (0 emerg .. 7 debug) for {@code target}: raw formats get the
     * message only, every other format HAProxy's default RFC 3164 header {@code <PRI>Mmm dd hh:mm:ss tag[pid]: }.
     */
    static String frame(LogTarget target, int severity, String message) {
        String fmt = target.format();
        if ("raw".equals(fmt)) {
            return message;
        }
        int facility = 1;
        for (int i = 0; i < FACILITIES.length; i++) {
            if (FACILITIES[i].equals(target.facility())) {
                facility = i;
            }
        }
        int pri = facility * 8 + severity;
        return "<" + pri + ">" + LocalDateTime.now().format(SYSLOG_TIME) + " flagman[" + ProcessHandle.current().pid()
                + "]: " + message;
    }

    /** Offers a line; never blocks. */
    public void log(String line) {
        if (!queue.offer(line)) {
            dropped.increment();
        }
    }

    private void run() {
        try {
            for (;;) {
                String line = queue.take();
                if (line == STOP) {
                    return;
                }
                if (stream != null) {
                    stream.println(line);
                    if (queue.isEmpty()) {
                        stream.flush();
                    }
                } else if (unixChannel != null) {
                    sendUnix(line);
                } else {
                    byte[] b = line.getBytes(StandardCharsets.UTF_8);
                    try {
                        socket.send(new DatagramPacket(b, b.length, udpTarget));
                    } catch (IOException e) {
                        dropped.increment();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendUnix(String line) {
        if (!unixChannel.isWritable()) {
            dropped.increment();
            return;
        }
        var packet = new DomainDatagramPacket(Unpooled.wrappedBuffer(line.getBytes(StandardCharsets.UTF_8)),
                unixTarget);
        unixChannel.writeAndFlush(packet).addListener(f -> {
            if (!f.isSuccess()) {
                dropped.increment();
            }
        });
    }

    @Override
    public void close() {
        queue.offer(STOP);
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (socket != null) {
            socket.close();
        }
        if (unixChannel != null) {
            unixChannel.close();
        }
    }
}
