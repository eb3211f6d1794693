package io.flagman.proxy.tcp;

import io.flagman.config.model.ProxyOption;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.FrontendRuntime;
import io.flagman.proxy.ProxyContext;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.balance.Candidate;
import io.flagman.proxy.http.HttpLog;
import io.flagman.proxy.listen.ClientConnection;
import io.flagman.proxy.listen.ClientProtocolHandler;
import io.flagman.proxy.listen.ConnectionSample;
import io.flagman.proxy.listen.DrainEvent;
import io.flagman.proxy.stats.Counters;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP-mode client connection: picks the backend (use_backend rules evaluated on connection facts) and a
 * server on the snapshot in force at accept time, connects on the same event loop with retries and redispatch,
 * then hands both channels to a {@link Relay}. Nothing is read from the client before the server connection
 * exists. Confined to the connection's event loop; the whole connection runs on its starting snapshot.
 */
public final class TcpFrontendHandler extends ClientProtocolHandler implements ConnectionSample {
    private final ClientConnection cc;
    private final ProxyContext context;
    private final Snapshot snapshot;
    private final FrontendRuntime frontend;
    private ChannelHandlerContext ctx;
    private BackendRuntime backend;
    private ServerEndpoint server;
    private ServerEndpoint excluded;
    private int attempts;
    private long startNanos;
    private long connectedNanos = -1;
    // Bytes and a FIN that arrive before the server connection exists. AUTO_READ is off, but the epoll transport
    // still reads when the peer half-closes (EPOLLRDHUP), so a client that sends its query and shuts its side at
    // once (DNS over TCP does) would otherwise lose both. Replayed to the server when the relay starts.
    private final List<Object> early = new ArrayList<>();
    private boolean clientEof;

    private TcpFrontendHandler(ClientConnection cc, ProxyContext context, Snapshot snapshot, FrontendRuntime fr) {
        this.cc = cc;
        this.context = context;
        this.snapshot = snapshot;
        this.frontend = fr;
    }

    @Override
    public String backendName() {
        BackendRuntime b = backend;
        return b == null ? null : b.name();
    }

    @Override
    public String serverName() {
        ServerEndpoint s = server;
        return s == null ? null : s.state().name();
    }

    public static void install(ChannelPipeline p, ClientConnection cc, ProxyContext context, Snapshot snapshot,
            FrontendRuntime fr) {
        p.addLast("tcp", new TcpFrontendHandler(cc, context, snapshot, fr));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        early.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            clientEof = true;
        } else if (evt != DrainEvent.INSTANCE) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseEarly();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        ctx.fireChannelInactive();
    }

    private void releaseEarly() {
        for (Object m : early) {
            ReferenceCountUtil.release(m);
        }
        early.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    protected void start(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        startNanos = System.nanoTime();
        backend = route();
        if (backend == null) {
            closeWithLog();
            return;
        }
        Counters.Slot bs = backend.counters().here();
        bs.enter(startNanos);
        ctx.channel().closeFuture().addListener(f -> bs.leave());
        dispatch();
    }

    private BackendRuntime route() {
        return frontend.backend(frontend.route(this, snapshot), this, snapshot);
    }

    private void dispatch() {
        Candidate c = backend.balancer().pick(this);
        if (excluded != null && c == excluded) {
            for (ServerEndpoint e : backend.servers()) {
                if (e != excluded && e.usable()) {
                    c = e;
                    break;
                }
            }
        }
        ServerEndpoint ep = (ServerEndpoint) c;
        if (ep == null || !ep.state().tryAcquire(ep.maxconn())) {
            closeWithLog();
            return;
        }
        connect(ep);
    }

    private void connect(ServerEndpoint ep) {
        server = ep;
        ChannelFuture f = context.connector().connect(ctx.channel().eventLoop(), ep,
                (int) backend.connectTimeout(), cc.source(), cc.destination(),
                p -> p.addLast("handler", new ChannelInboundHandlerAdapter()));
        f.addListener((ChannelFutureListener) cf -> onConnected(cf, ep));
    }

    private void onConnected(ChannelFuture cf, ServerEndpoint ep) {
        if (!ctx.channel().isActive()) {
            ep.state().release();
            if (cf.isSuccess()) {
                cf.channel().close();
            }
            return;
        }
        if (cf.isSuccess()) {
            connectedNanos = System.nanoTime();
            long tunnel = backend.tunnelTimeout();
            Relay.Timeouts t = new Relay.Timeouts(tunnel > 0 ? tunnel : frontend.clientTimeout(),
                    tunnel > 0 ? tunnel : backend.serverTimeout(), frontend.clientFinTimeout(),
                    backend.serverFinTimeout());
            BackendRuntime br = backend;
            long earlyBytes = 0;
            for (Object m : early) {
                if (m instanceof ByteBuf b) {
                    earlyBytes += b.readableBytes();
                }
                cf.channel().write(m, cf.channel().voidPromise());
            }
            long sentEarly = earlyBytes;
            early.clear();
            cf.channel().flush();
            boolean eof = clientEof;
            Relay.join(ctx.channel(), "tcp", null, cf.channel(), "handler", null, t, (relayed, out) -> {
                long in = relayed + sentEarly; // what the client sent before the server connection existed too
                count(br, ep, in, out);
                ep.state().release();
                if (!br.queue().isEmpty()) {
                    br.queue().wakeOne();
                }
                // option dontlognull: no line for a connection on which the client sent nothing (HAProxy)
                if (in > 0 || !frontend.config().has(ProxyOption.DONTLOGNULL)) {
                    log(out, "--");
                }
            });
            if (eof) {
                ctx.channel().pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
            return;
        }
        ep.state().countConnectError();
        ep.state().release();
        if (attempts < backend.retries()) {
            attempts++;
            ep.state().countRetry();
            if (backend.redispatch() && attempts == backend.retries()) {
                excluded = ep;
                ep.state().countRedispatch();
            }
            dispatch();
            return;
        }
        closeWithLog();
    }

    /** A relayed session ended: bytes on frontend, backend and server; the server's session and times. */
    private void count(BackendRuntime br, ServerEndpoint ep, long in, long out) {
        long now = System.nanoTime();
        long tc = (connectedNanos - startNanos) / 1_000_000;
        long tt = (now - startNanos) / 1_000_000;
        frontend.counters().here().bytes(in, out);
        if (frontend.config().has(ProxyOption.SOCKET_STATS)) {
            cc.listener().counters().here().bytes(in, out);
        }
        Counters.Slot bs = br.counters().here();
        bs.bytes(in, out);
        bs.inc(Counters.LB_SELECTED);
        bs.times(0, tc, 0, tt);
        Counters.Slot sv = ep.state().counters().here();
        sv.enter(now);
        sv.leave();
        sv.inc(Counters.LB_SELECTED);
        sv.bytes(in, out);
        sv.times(0, tc, 0, tt);
    }

    private void closeWithLog() {
        log(0, "SC");
        ctx.close();
    }

    private void log(long bytes, String term) {
        if (frontend.log() != null && (frontend.tcpLog() || frontend.httpLog())) {
            long now = System.nanoTime();
            long tc = connectedNanos < 0 ? -1 : (connectedNanos - startNanos) / 1_000_000;
            frontend.log().log(HttpLog.tcpLine(cc, frontend.name(), backend == null ? null : backend.name(),
                    server == null ? null : server.name(), 0, tc, (now - cc.acceptNanos()) / 1_000_000, bytes, term,
                    cc.listener().activeConnections(), server == null ? 0 : server.activeConnections(), attempts));
        }
    }

    // SampleSource: connection facts only (ConnectionSample answers them); no request in TCP mode.
    @Override
    public ClientConnection connection() {
        return cc;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    @Override
    public String method() {
        return null;
    }

    @Override
    public String uri() {
        return null;
    }

    @Override
    public String httpVersion() {
        return null;
    }

    @Override
    public List<String> headerValues(String name) {
        return List.of();
    }
}
