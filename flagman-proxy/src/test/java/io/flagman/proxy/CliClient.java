package io.flagman.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A runtime socket client for tests: a real unix (or TCP) socket; reads are bounded by a deadline. */
final class CliClient implements AutoCloseable {
    private static final ExecutorService READERS = Executors.newVirtualThreadPerTaskExecutor();
    private final SocketChannel channel;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    CliClient(SocketAddress address) throws IOException {
        channel = SocketChannel.open(address);
    }

    static CliClient unix(Path path) throws IOException {
        return new CliClient(UnixDomainSocketAddress.of(path));
    }

    static CliClient tcp(InetSocketAddress address) throws IOException {
        return new CliClient(address);
    }

    /** Sends {@code text} and reads until the server closes: what {@code echo … | socat stdio SOCKET} prints. */
    static String exchange(Path socket, String text) throws Exception {
        try (CliClient c = unix(socket)) {
            c.send(text);
            return c.readToEnd();
        }
    }

    CliClient send(String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        return this;
    }

    /** Everything until the server closes the connection. */
    String readToEnd() throws Exception {
        return readUntil(null);
    }

    /** Reads until what was received since the last call ends with {@code suffix} (null: until EOF). */
    String readUntil(String suffix) throws Exception {
        Future<String> f = READERS.submit(() -> {
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                String sofar = received.toString(StandardCharsets.UTF_8);
                if (suffix != null && sofar.endsWith(suffix)) {
                    received.reset();
                    return sofar;
                }
                buf.clear();
                int n;
                try {
                    n = channel.read(buf);
                } catch (IOException e) {
                    n = -1; // a reset: the server closed without reading what was sent
                }
                if (n < 0) {
                    received.reset();
                    return sofar;
                }
                received.write(buf.array(), 0, n);
            }
        });
        try {
            return f.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            channel.close();
            throw new AssertionError("no answer ending in " + (suffix == null ? "a close" : "'" + suffix + "'")
                    + "; got: " + received.toString(StandardCharsets.UTF_8));
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
