package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code log /dev/log local0}: RFC 3164 datagrams to a unix socket, received by a real unix datagram socket. */
class UnixSyslogTest {
    /** {@code <PRI>Mmm dd hh:mm:ss flagman[pid]: } with the day space-padded, as RFC 3164 and HAProxy write it. */
    private static final String HEADER = "[A-Z][a-z]{2} [ 123][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} flagman\\[[0-9]+\\]: ";

    @TempDir
    Path dir;
    private EventLoopGroup group;
    private Channel receiver;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final ProxyFixture proxy = new ProxyFixture();
    private FakeBackend web;

    @BeforeEach
    void bindReceiver() {
        assertThat(Epoll.isAvailable()).as("native epoll (Linux) is needed for unix datagram sockets").isTrue();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        receiver = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                        received.add(p.content().toString(StandardCharsets.UTF_8));
                    }
                })
                .bind(new DomainSocketAddress(dir.resolve("log.sock").toFile())).syncUninterruptibly().channel();
        web = new FakeBackend("web");
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        if (web != null) {
            web.close();
        }
        if (receiver != null) {
            receiver.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    private String next() throws InterruptedException {
        String line = received.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("a datagram within 10 s").isNotNull();
        return line;
    }

    @Test
    void httplogLinesReachTheUnixSocketWithAnRfc3164Header() throws Exception {
        proxy.apply("""
                defaults
                  mode http
                  option httplog
                frontend fe
                  bind 127.0.0.1:1
                  log %s local0
                  default_backend be
                backend be
                  server web %s
                """.formatted(dir.resolve("log.sock"), web.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/hello", "x").status()).isEqualTo(200);
        }
        String line = next();
        assertThat(line).matches("<134>" + HEADER + ".*"); // local0 (16) * 8 + info (6)
        assertThat(line).contains(" fe be/web ").contains(" 200 ").contains("\"GET /hello HTTP/1.1\"");
    }

    @Test
    void theTargetsLevelFiltersAndHealthTransitionsUseHaproxysSeverities() throws Exception {
        int dead;
        try (var s = new java.net.ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        proxy.apply("""
                defaults
                  mode http
                  option httplog
                  log unix@%s local1 notice
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  server web %s
                  server down 127.0.0.1:%d check inter 100ms
                """.formatted(dir.resolve("log.sock"), web.address(), dead));
        String line = next();
        assertThat(line).matches("<137>" + HEADER + "Server be/down is DOWN, reason: Layer4 connection problem.*");
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/", "x").status()).isEqualTo(200);
        }
        // The info-level access line is above 'notice': not sent. Nothing else arrives.
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aMissingSocketDropsLinesWithoutFailing() throws Exception {
        Path missing = dir.resolve("nobody.sock");
        proxy.apply("""
                defaults
                  mode http
                  option httplog
                frontend fe
                  bind 127.0.0.1:1
                  log %s local0
                  default_backend be
                backend be
                  server web %s
                """.formatted(missing, web.address()));
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/", "x").status()).isEqualTo(200);
            assertThat(c.get("/", "x").status()).isEqualTo(200);
        }
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void unknownLevelsAreRejectedAtApply() {
        assertThatThrownBy(() -> LogSink.check(new io.flagman.config.model.LogTarget("/dev/log", null, "local0",
                "loud"))).isInstanceOf(ApplyException.class).hasMessageContaining("unknown level 'loud'");
    }
}
