package io.flagman.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.proxy.upstream.ServerState;
import io.flagman.proxy.upstream.ServerState.CheckReport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Health checks against real upstreams on loopback: state changes, traffic, logs, applies. */
class HealthCheckTest {
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    private final ProxyFixture proxy = new ProxyFixture();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    /** An HTTP upstream that can stop listening and come back on the same port, answering a settable status. */
    static final class Switchable implements AutoCloseable {
        final String name;
        final AtomicInteger status = new AtomicInteger(200);
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        private final int port;
        private volatile Channel server;

        Switchable(String name) {
            this.name = name;
            this.server = bind(0);
            this.port = ((InetSocketAddress) server.localAddress()).getPort();
        }

        private Channel bind(int p) {
            return new ServerBootstrap().group(GROUP).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            accepted.incrementAndGet();
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                    new SimpleChannelInboundHandler<FullHttpRequest>() {
                                        @Override
                                        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest r) {
                                            requests.incrementAndGet();
                                            var resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.valueOf(status.get()),
                                                    Unpooled.copiedBuffer(name, StandardCharsets.UTF_8));
                                            resp.headers().set("content-length", name.length())
                                                    .set("x-backend", name).set("connection", "close");
                                            ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                                        }
                                    });
                        }
                    }).bind("127.0.0.1", p).syncUninterruptibly().channel();
        }

        void stop() {
            server.close().syncUninterruptibly();
        }

        void restart() {
            server = bind(port);
        }

        String address() {
            return "127.0.0.1:" + port;
        }

        @Override
        public void close() {
            server.close().syncUninterruptibly();
        }
    }

    private <T extends AutoCloseable> T later(T c) {
        closeLater.add(c);
        return c;
    }

    private ServerState state(String backend, String server) {
        return proxy.dataPlane.serverState(backend, server).orElseThrow();
    }

    /** Waits until the server's check report satisfies {@code want}, recording every distinct state seen. */
    private Set<String> awaitCheck(String backend, String server, String what,
            java.util.function.Predicate<CheckReport> want) {
        Set<String> seen = new LinkedHashSet<>();
        Await.until(backend + "/" + server + " " + what, () -> {
            CheckReport r = state(backend, server).lastCheck();
            if (r != null) {
                seen.add(r.state());
            }
            return r != null && want.test(r);
        });
        return seen;
    }

    /** Waits for {@code n} more completed checks of a server (each check publishes a new report). */
    private void awaitChecks(String backend, String server, int n) {
        int[] count = {0};
        CheckReport[] last = {state(backend, server).lastCheck()};
        Await.until(n + " more checks of " + server, () -> {
            CheckReport r = state(backend, server).lastCheck();
            if (r != last[0]) {
                last[0] = r;
                count[0]++;
            }
            return count[0] >= n;
        });
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String backendOf(RawHttp.Response r) {
        return r.header("x-backend");
    }

    @Test
    void serverThatStopsListeningGoesDownAfterFallChecksTrafficAvoidsItAndItComesBackAfterRise() throws Exception {
        Switchable s1 = later(new Switchable("s1"));
        Switchable s2 = later(new Switchable("s2"));
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  server s1 %s check inter 100ms rise 2 fall 3
                  server s2 %s check inter 100ms
                """.formatted(s1.address(), s2.address()));
        awaitCheck("be", "s1", "passes a layer-4 check", r -> r.status().equals("L4OK") && r.state().equals("UP"));

        s1.stop();
        Set<String> seen = awaitCheck("be", "s1", "goes DOWN", r -> r.state().equals("DOWN"));
        assertThat(seen).containsSubsequence("UP 2/3", "UP 1/3", "DOWN");
        CheckReport down = state("be", "s1").lastCheck();
        assertThat(down.status()).isEqualTo("L4CON");
        assertThat(down.info()).isEqualTo("Connection refused");
        assertThat(state("be", "s1").health()).isEqualTo(ServerState.Health.DOWN);

        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 6; i++) {
                RawHttp.Response r = c.get("/", "x");
                assertThat(r.status()).isEqualTo(200);
                assertThat(backendOf(r)).isEqualTo("s2");
            }
        }
        assertThat(state("be", "s1").connectErrors()).isZero();

        s1.restart();
        Set<String> rising = awaitCheck("be", "s1", "comes back UP", r -> r.state().equals("UP"));
        assertThat(rising).containsSubsequence("DOWN 1/2", "UP");
        Set<String> backends = new LinkedHashSet<>();
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 6; i++) {
                backends.add(backendOf(c.get("/", "x")));
            }
        }
        assertThat(backends).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void portAndAddrSendTheChecksElsewhereWhileTrafficStaysOnTheServer() throws Exception {
        Switchable traffic = later(new Switchable("traffic"));
        Switchable monitor = later(new Switchable("monitor"));
        int dead = deadPort();
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  option httpchk GET /health
                  server up %s check inter 100ms rise 1 fall 1 port %d addr 127.0.0.1
                  server down %s check inter 100ms rise 1 fall 1 port %d
                """.formatted(traffic.address(), monitor.port, traffic.address(), dead));
        awaitCheck("be", "up", "passes on the monitor port", r -> r.status().equals("L7OK") && r.state().equals("UP"));
        awaitCheck("be", "down", "fails on the dead check port", r -> r.state().equals("DOWN"));
        assertThat(state("be", "down").lastCheck().status()).isEqualTo("L4CON");
        Await.until("the monitor got checks", () -> monitor.requests.get() > 0);
        int checksOnTraffic = traffic.requests.get();
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            for (int i = 0; i < 4; i++) {
                RawHttp.Response r = c.get("/", "x");
                assertThat(r.status()).isEqualTo(200);
                assertThat(backendOf(r)).as("traffic goes to the server's own address").isEqualTo("traffic");
            }
        }
        assertThat(traffic.requests.get()).as("no check reached the traffic port").isEqualTo(checksOnTraffic + 4);
        assertThat(checksOnTraffic).isZero();
    }

    @Test
    void httpchkFailsOnA500AndPassesOnA200() throws Exception {
        Switchable s1 = later(new Switchable("s1"));
        FakeBackend seen = later(new FakeBackend("probe"));
        proxy.apply("""
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  option httpchk GET /health
                  server s1 %s check inter 100ms rise 2 fall 2
                  server probe %s check inter 100ms
                """.formatted(s1.address(), seen.address()));
        awaitCheck("be", "s1", "passes", r -> r.status().equals("L7OK") && r.state().equals("UP"));
        assertThat(state("be", "s1").lastCheck().code()).isEqualTo(200);
        Await.until("probe saw a check", () -> !seen.requests.isEmpty());
        FakeBackend.Seen req = seen.requests.get(0);
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.uri()).isEqualTo("/health");

        s1.status.set(500);
        awaitCheck("be", "s1", "goes DOWN on 500", r -> r.state().equals("DOWN"));
        CheckReport r = state("be", "s1").lastCheck();
        assertThat(r.status()).isEqualTo("L7STS");
        assertThat(r.code()).isEqualTo(500);
        assertThat(r.info()).isEqualTo("Internal Server Error");

        s1.status.set(302); // 2xx and 3xx pass, as HAProxy's default expectation
        awaitCheck("be", "s1", "comes UP on 302", x -> x.state().equals("UP"));
        assertThat(state("be", "s1").lastCheck().status()).isEqualTo("L7OK");
    }

    @Test
    void serverThatAcceptsButNeverAnswersGoesDownAfterTheCheckTimeoutWithoutHoldingOtherChecks() throws Exception {
        ServerSocket blackhole = later(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Switchable good = later(new Switchable("good"));
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                  timeout check 500ms
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  option httpchk
                  server hole 127.0.0.1:%d check inter 100ms fall 2
                  server good %s check inter 100ms
                """.formatted(blackhole.getLocalPort(), good.address()));
        awaitCheck("be", "hole", "goes DOWN on timeouts", x -> x.state().equals("DOWN"));
        CheckReport r = state("be", "hole").lastCheck();
        assertThat(r.status()).isEqualTo("L7TOUT");
        assertThat(r.durationMillis()).isGreaterThanOrEqualTo(490);
        // While one check of the hole waits its 500 ms, the good server keeps being checked every 100 ms.
        CheckReport holeBefore = state("be", "hole").lastCheck();
        CheckReport[] goodLast = {state("be", "good").lastCheck()};
        int[] goodChecks = {0};
        Await.until("one more check of the hole", () -> {
            CheckReport g = state("be", "good").lastCheck();
            if (g != goodLast[0]) {
                goodLast[0] = g;
                goodChecks[0]++;
            }
            return state("be", "hole").lastCheck() != holeBefore;
        });
        assertThat(goodChecks[0]).isGreaterThanOrEqualTo(2);
        assertThat(state("be", "hole").lastCheck().status()).isEqualTo("L7TOUT");
        assertThat(state("be", "good").health()).isEqualTo(ServerState.Health.UP);
        assertThat(state("be", "good").lastCheck().status()).isEqualTo("L7OK");
    }

    @Test
    void allServersDownAnswers503WithoutConnectingAndLogsEachTransitionOnce() throws Exception {
        DatagramSocket syslog = later(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
        syslog.setSoTimeout(10_000);
        int p1 = deadPort();
        int p2 = deadPort();
        proxy.apply("""
                defaults
                  mode http
                  timeout connect 1s
                  retries 3
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  log 127.0.0.1:%d local0
                  server s1 127.0.0.1:%d check inter 100ms
                  server s2 127.0.0.1:%d check inter 100ms
                """.formatted(syslog.getLocalPort(), p1, p2));
        awaitCheck("be", "s1", "DOWN", x -> x.state().equals("DOWN"));
        awaitCheck("be", "s2", "DOWN", x -> x.state().equals("DOWN"));
        long connects = state("be", "s1").totalConnections() + state("be", "s2").totalConnections();
        try (RawHttp c = new RawHttp(proxy.address("fe"))) {
            assertThat(c.get("/", "x").status()).isEqualTo(503);
        }
        assertThat(state("be", "s1").totalConnections() + state("be", "s2").totalConnections()).isEqualTo(connects);

        awaitChecks("be", "s1", 3);
        List<String> lines = new CopyOnWriteArrayList<>();
        byte[] buf = new byte[4096];
        while (lines.stream().noneMatch(l -> l.contains("has no server available"))) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            syslog.receive(p);
            lines.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
        }
        syslog.setSoTimeout(300);
        try {
            for (;;) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                syslog.receive(p);
                lines.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            }
        } catch (java.net.SocketTimeoutException drained) {
            // nothing more queued
        }
        assertThat(lines.stream().filter(l -> l.contains("Server be/s1 is DOWN"))).hasSize(1);
        assertThat(lines.stream().filter(l -> l.contains("Server be/s2 is DOWN"))).hasSize(1);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("<129>") // local0.alert
                .contains("Server be/s1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", "
                        + "check duration: "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("<128>") // local0.emerg
                .endsWith("backend be has no server available!"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("0 active and 0 backup servers left."));
    }

    @Test
    void checkerStateSurvivesAnApplyThatKeepsTheServerAndStopsForRemovedServers() throws Exception {
        Switchable gone = later(new Switchable("gone"));
        Switchable added = later(new Switchable("added"));
        int dead = deadPort();
        String base = """
                defaults
                  mode http
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  server s1 127.0.0.1:%d check inter 100ms rise 3
                """.formatted(dead);
        proxy.apply(base + "  server gone %s check inter 100ms\n".formatted(gone.address()));
        awaitCheck("be", "s1", "DOWN", x -> x.state().equals("DOWN"));
        awaitCheck("be", "gone", "checked", x -> x.status().equals("L4OK"));

        proxy.apply(base + "  server added %s check inter 100ms\nbackend other\n  server o 127.0.0.1:1\n"
                .formatted(added.address()));
        // Kept: still DOWN right after the apply (no flap to UP, no reset to INI).
        CheckReport kept = state("be", "s1").lastCheck();
        assertThat(kept.status()).isEqualTo("L4CON");
        assertThat(state("be", "s1").health()).isEqualTo(ServerState.Health.DOWN);
        // New: its checker starts.
        awaitCheck("be", "added", "checked", x -> x.status().equals("L4OK"));
        // Removed: its checker stops (no more connections while s1 is checked 3 more times).
        awaitChecks("be", "s1", 1);
        int connections = acceptedSoFar(gone);
        awaitChecks("be", "s1", 3);
        assertThat(acceptedSoFar(gone)).isEqualTo(connections);
        assertThat(state("be", "s1").health()).isEqualTo(ServerState.Health.DOWN);

        // A server that loses 'check' is UP again and has no check report.
        proxy.apply(base.replace(" check inter 100ms rise 3", ""));
        assertThat(state("be", "s1").health()).isEqualTo(ServerState.Health.UP);
        Await.until("report cleared", () -> state("be", "s1").lastCheck() == null);
    }

    /** Connections a switchable upstream accepted (layer-4 checks connect and close without a request). */
    private static int acceptedSoFar(Switchable s) {
        return s.accepted.get();
    }

    @Test
    void sendProxyServersGetThePROXYHeaderOnChecksToo() throws Exception {
        ServerSocket upstream = later(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        upstream.setSoTimeout(10_000);
        proxy.apply("""
                defaults
                  mode tcp
                frontend fe
                  bind 127.0.0.1:1
                  default_backend be
                backend be
                  server s1 127.0.0.1:%d check inter 100ms send-proxy
                """.formatted(upstream.getLocalPort()));
        try (Socket s = upstream.accept()) {
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(line).matches("PROXY TCP4 127\\.0\\.0\\.1 127\\.0\\.0\\.1 \\d+ " + upstream.getLocalPort());
        }
    }
}
