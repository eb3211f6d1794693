package io.flagman.proxy;

import io.flagman.config.model.LogTarget;
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
 * One log destination ({@code stdout}, {@code stderr} or UDP syslog). Event loops only offer lines to a
 * bounded queue (never block: a full queue drops the line and counts it); a daemon thread writes them.
 */
public final class LogSink implements AutoCloseable {
    private static final String STOP = new String("stop");
    private static final DateTimeFormatter SYSLOG_TIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ROOT);
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

    private LogSink(String address) throws ApplyException {
        this.address = address;
        if (address.equals("stdout") || address.equals("stderr")) {
            this.stream = address.equals("stdout") ? System.out : System.err;
            this.socket = null;
            this.udpTarget = null;
        } else {
            this.stream = null;
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
        if (a.equals("stdout") || a.equals("stderr")) {
            return;
        }
        parseUdp(a);
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

    /** Formats one message for {@code target} (raw: the message only; else an RFC 3164 header). */
    static String frame(LogTarget target, String message) {
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
        int pri = facility * 8 + 6;
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
    }
}
