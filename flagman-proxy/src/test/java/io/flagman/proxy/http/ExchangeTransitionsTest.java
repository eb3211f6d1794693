package io.flagman.proxy.http;

import static io.flagman.proxy.http.ExchangePhase.CLOSING;
import static io.flagman.proxy.http.ExchangePhase.CONNECTING;
import static io.flagman.proxy.http.ExchangePhase.DISCARDING;
import static io.flagman.proxy.http.ExchangePhase.FORWARDING;
import static io.flagman.proxy.http.ExchangePhase.IDLE;
import static io.flagman.proxy.http.ExchangePhase.QUEUED;
import static io.flagman.proxy.http.ExchangePhase.RESPONDING;
import static io.flagman.proxy.http.ExchangePhase.ROUTING;
import static io.flagman.proxy.http.ExchangePhase.TUNNEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.ProxyContext;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.TestProxyContext;
import io.flagman.proxy.listen.DrainEvent;
import io.flagman.proxy.listen.TestConnections;
import io.flagman.proxy.upstream.ServerState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every move of the HTTP exchange's state machine ({@link ExchangePhase}), driven through the real pipeline
 * (HttpServerCodec + {@link HttpFrontendHandler}) on an {@link EmbeddedChannel}, with {@link EmbeddedUpstream}
 * servers: what the client sent, what the server answered, the phase after each step, and the client's FIN
 * (ChannelInputShutdownEvent, as the transport fires it) in every phase an exchange can wait in. ROUTING is
 * synchronous (rules and routing run inside the read of the head), so it is seen only as the phase a request
 * passes through; nothing can arrive while in it.
 */
class ExchangeTransitionsTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private EmbeddedChannel client;
    private HttpFrontendHandler handler;
    private ProxyContext context;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.finishAndReleaseAll();
            client = null;
        }
        for (EmbeddedUpstream u : EmbeddedUpstream.MADE) {
            u.finishAndReleaseAll();
        }
        EmbeddedUpstream.reset();
    }

    private void open(String backendExtra, String serverOptions) throws Exception {
        tearDown();
        context = TestProxyContext.of("""
                defaults
                  mode http
                  timeout connect 5s
                  timeout client 30s
                  timeout server 30s
                  timeout queue 30s
                frontend fe
                  bind 127.0.0.1:1
                  http-request return status 404 content-type text/plain string nope if { path_beg /local }
                  default_backend be
                backend be
                %s
                  server w1 127.0.0.1:8080 %s
                """.formatted(backendExtra.indent(2), serverOptions), EmbeddedUpstream.class);
        Snapshot s = context.snapshot();
        client = new EmbeddedChannel();
        primeResolver(client);
        HttpFrontendHandler.install(client.pipeline(), TestConnections.of(s, "fe"), context, s.frontend("fe"));
        handler = (HttpFrontendHandler) client.pipeline().get("http");
    }

    /**
     * Bootstrap asks the default resolver group for the loop's resolver on every connect; the group's first call
     * for a loop registers a termination listener, which an embedded loop refuses (after caching the resolver).
     * Asked once here, so the handler's first connect is not a spurious failure.
     */
    private static void primeResolver(EmbeddedChannel ch) {
        try {
            DefaultAddressResolverGroup.INSTANCE.getResolver(ch.eventLoop());
        } catch (UnsupportedOperationException expected) {
            // cached anyway
        }
    }

    private void open() throws Exception {
        open("", "");
    }

    private void send(String text) {
        client.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
        client.runPendingTasks();
    }

    private void fin() {
        client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        client.runPendingTasks();
    }

    private void answer(EmbeddedUpstream up, String text) {
        up.answer(text);
        client.runPendingTasks();
    }

    /** Everything the proxy wrote to the client so far. */
    private String received() {
        StringBuilder b = new StringBuilder();
        Object o;
        while ((o = client.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) o;
            b.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return b.toString();
    }

    private ExchangePhase phase() {
        return handler.phase();
    }

    private static EmbeddedUpstream upstream() {
        return EmbeddedUpstream.MADE.peekLast();
    }

    private ServerState server() {
        return context.snapshot().backend("be").servers().get(0).state();
    }

    // ---------------------------------------------------------------- the table

    @Test
    void theTableAllowsOnlyTheMovesOfAnExchange() {
        assertThat(EnumSet.allOf(ExchangePhase.class).stream().filter(IDLE::canGo)).containsExactly(ROUTING, CLOSING);
        assertThat(RESPONDING.canGo(QUEUED)).isFalse();
        assertThat(RESPONDING.canGo(ROUTING)).as("the next request starts from IDLE").isFalse();
        assertThat(IDLE.canGo(RESPONDING)).isFalse();
        assertThat(QUEUED.canGo(RESPONDING)).isFalse();
        assertThat(DISCARDING.canGo(ROUTING)).as("the body is dropped first").isFalse();
        assertThat(TUNNEL.canGo(IDLE)).isFalse();
        assertThat(EnumSet.allOf(ExchangePhase.class).stream().filter(CLOSING::canGo)).containsExactly(CLOSING);
        for (ExchangePhase p : ExchangePhase.values()) {
            assertThat(p.canGo(CLOSING)).as("%s can close", p).isTrue();
        }
    }

    // ---------------------------------------------------------------- the way through

    @Test
    void idleConnectingForwardingRespondingIdleThenPooledForTheNextRequest() throws Exception {
        open();
        assertThat(phase()).isEqualTo(IDLE);
        send(GET);
        EmbeddedUpstream up = upstream();
        assertThat(phase()).as("connect completed at once").isEqualTo(FORWARDING);
        assertThat(up.sent()).startsWith("GET / HTTP/1.1\r\n");
        answer(up, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab");
        assertThat(phase()).isEqualTo(RESPONDING);
        answer(up, "cd");
        assertThat(phase()).isEqualTo(IDLE);
        assertThat(received()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nabcd");
        send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(phase()).as("IDLE → ROUTING → FORWARDING on the pooled connection").isEqualTo(FORWARDING);
        assertThat(EmbeddedUpstream.MADE).hasSize(1);
        assertThat(up.sent()).startsWith("GET /again HTTP/1.1\r\n");
        answer(up, OK);
        assertThat(phase()).isEqualTo(IDLE);
        assertThat(received()).endsWith("ok");
    }

    @Test
    void connectingWaitsForTheConnectThenForwards() throws Exception {
        open();
        EmbeddedUpstream.holdConnects = true;
        send(GET);
        assertThat(phase()).isEqualTo(CONNECTING);
        assertThat(upstream().connectHeld()).isTrue();
        upstream().completeConnect();
        client.runPendingTasks();
        assertThat(phase()).isEqualTo(FORWARDING);
        assertThat(upstream().sent()).startsWith("GET / HTTP/1.1\r\n");
    }

    @Test
    void aFailedConnectIsRetriedThenAnswered503() throws Exception {
        open("retries 1", "");
        EmbeddedUpstream.holdConnects = true;
        send(GET);
        EmbeddedUpstream first = upstream();
        first.failConnect();
        client.runPendingTasks();
        assertThat(phase()).as("CONNECTING → CONNECTING (retry)").isEqualTo(CONNECTING);
        assertThat(upstream()).isNotSameAs(first);
        upstream().failConnect();
        client.runPendingTasks();
        assertThat(phase()).as("CONNECTING → IDLE with a 503").isEqualTo(IDLE);
        assertThat(received()).startsWith("HTTP/1.1 503 ");
        assertThat(server().connectErrors()).isEqualTo(2);
    }

    @Test
    void queuedWaitsForASlotThenConnects() throws Exception {
        open("", "maxconn 1");
        assertThat(server().tryAcquire(1)).isTrue(); // another connection holds the only slot
        send(GET);
        assertThat(phase()).isEqualTo(QUEUED);
        server().release();
        context.snapshot().backend("be").queue().wakeOne();
        client.runPendingTasks();
        assertThat(phase()).as("QUEUED → CONNECTING → FORWARDING").isEqualTo(FORWARDING);
        answer(upstream(), OK);
        assertThat(phase()).isEqualTo(IDLE);
        assertThat(received()).endsWith("ok");
    }

    /** Hands the handler a decoded message directly (as the codec does, one message per read). */
    private void decoded(Object msg) {
        client.pipeline().context("http-codec").fireChannelRead(msg);
        client.runPendingTasks();
    }

    private static HttpRequest head(String uri) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set(HttpHeaderNames.HOST, "x");
        return r;
    }

    @Test
    void aLocalAnswerGoesBackToIdleOrDiscardsTheBody() throws Exception {
        open();
        send("GET /local HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(phase()).as("ROUTING → DISCARDING → IDLE within the read").isEqualTo(IDLE);
        assertThat(received()).startsWith("HTTP/1.1 404 ").endsWith("nope");
        decoded(head("/local/2"));
        assertThat(phase()).as("ROUTING → DISCARDING: the request's last chunk is still to come").isEqualTo(DISCARDING);
        assertThat(received()).startsWith("HTTP/1.1 404 ");
        decoded(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(phase()).as("DISCARDING → IDLE").isEqualTo(IDLE);
        send("POST /local HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc");
        assertThat(phase()).as("a body still on its way: ROUTING → CLOSING").isEqualTo(CLOSING);
        assertThat(received()).startsWith("HTTP/1.1 404 ").contains("connection: close");
        assertThat(EmbeddedUpstream.MADE).isEmpty();
    }

    @Test
    void aBadRequestClosesTheConnection() throws Exception {
        open();
        send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        assertThat(phase()).as("ROUTING → CLOSING").isEqualTo(CLOSING);
        assertThat(received()).startsWith("HTTP/1.1 400 ");
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void connectionCloseEndsInClosingAfterTheResponse() throws Exception {
        open();
        send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        answer(upstream(), OK);
        assertThat(phase()).as("RESPONDING → CLOSING").isEqualTo(CLOSING);
        assertThat(received()).contains("connection: close").endsWith("ok");
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void aServerThatClosesBeforeAnsweringGets502() throws Exception {
        open();
        send(GET);
        upstream().close();
        client.runPendingTasks();
        assertThat(phase()).as("FORWARDING → IDLE with a 502").isEqualTo(IDLE);
        assertThat(received()).startsWith("HTTP/1.1 502 ");
    }

    @Test
    void aReusedConnectionThatClosesBeforeAnsweringIsReplayedOnANewOne() throws Exception {
        open();
        send(GET);
        EmbeddedUpstream first = upstream();
        answer(first, OK);
        received();
        EmbeddedUpstream.holdConnects = true;
        send(GET);
        assertThat(phase()).isEqualTo(FORWARDING);
        first.close();
        client.runPendingTasks();
        assertThat(phase()).as("FORWARDING → CONNECTING (replay)").isEqualTo(CONNECTING);
        upstream().completeConnect();
        client.runPendingTasks();
        assertThat(upstream().sent()).startsWith("GET / HTTP/1.1\r\n");
        answer(upstream(), OK);
        assertThat(received()).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void aServerThatClosesMidResponseClosesTheClient() throws Exception {
        open();
        send(GET);
        answer(upstream(), "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        assertThat(phase()).isEqualTo(RESPONDING);
        upstream().close();
        client.runPendingTasks();
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void anUpgradeBecomesATunnel() throws Exception {
        open();
        send("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        EmbeddedUpstream up = upstream();
        assertThat(up.sent()).contains("Upgrade: websocket");
        answer(up, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        assertThat(phase()).isEqualTo(TUNNEL);
        assertThat(received()).startsWith("HTTP/1.1 101 ");
        send("raw bytes");
        assertThat(up.sent()).isEqualTo("raw bytes");
    }

    @Test
    void aDrainClosesAnIdleConnectionAndABusyOneAfterItsResponse() throws Exception {
        open();
        send(GET);
        client.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        assertThat(phase()).isEqualTo(FORWARDING);
        answer(upstream(), OK);
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(received()).contains("connection: close");
        open();
        client.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        assertThat(phase()).as("IDLE → CLOSING").isEqualTo(CLOSING);
    }

    // ---------------------------------------------------------------- the client's FIN in every phase

    @Test
    void finWhileIdleCloses() throws Exception {
        open();
        fin();
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void finWhileDiscardingCloses() throws Exception {
        open();
        decoded(head("/local"));
        assertThat(phase()).isEqualTo(DISCARDING);
        fin();
        assertThat(phase()).isEqualTo(CLOSING);
    }

    @Test
    void finCuttingAHeadGets400() throws Exception {
        open();
        send("GET / HTTP/1.1\r\nHost: x\r\n");
        assertThat(phase()).isEqualTo(IDLE);
        fin();
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(received()).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void finWhileQueuedStillServesTheRequest() throws Exception {
        open("", "maxconn 1");
        server().tryAcquire(1);
        send(GET);
        fin();
        assertThat(phase()).isEqualTo(QUEUED);
        server().release();
        context.snapshot().backend("be").queue().wakeOne();
        client.runPendingTasks();
        assertThat(phase()).isEqualTo(FORWARDING);
        answer(upstream(), OK);
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(received()).contains("connection: close").endsWith("ok");
    }

    @Test
    void finWhileQueuedWithAbortOnCloseAborts() throws Exception {
        open("option abortonclose", "maxconn 1");
        server().tryAcquire(1);
        send(GET);
        fin();
        assertThat(phase()).as("QUEUED → CLOSING").isEqualTo(CLOSING);
        assertThat(received()).isEmpty();
        BackendRuntime be = context.snapshot().backend("be");
        server().release();
        be.queue().wakeOne();
        client.runPendingTasks();
        assertThat(EmbeddedUpstream.MADE).as("the server never gets it").isEmpty();
    }

    @Test
    void finWhileConnectingStillServesTheRequest() throws Exception {
        open();
        EmbeddedUpstream.holdConnects = true;
        send(GET);
        fin();
        assertThat(phase()).isEqualTo(CONNECTING);
        upstream().completeConnect();
        client.runPendingTasks();
        assertThat(phase()).isEqualTo(FORWARDING);
        answer(upstream(), OK);
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(received()).endsWith("ok");
    }

    @Test
    void finWhileConnectingWithAbortOnCloseAbortsAndDropsTheConnect() throws Exception {
        open("option abortonclose", "");
        EmbeddedUpstream.holdConnects = true;
        send(GET);
        EmbeddedUpstream up = upstream();
        fin();
        assertThat(phase()).as("CONNECTING → CLOSING").isEqualTo(CLOSING);
        assertThat(up.isOpen()).as("the pending connect is dropped").isFalse();
        assertThat(server().activeConnections()).isZero();
        assertThat(received()).isEmpty();
    }

    @Test
    void finWhileForwardingACompleteRequestWaitsForTheResponse() throws Exception {
        open("option abortonclose", "");
        send(GET);
        fin();
        assertThat(phase()).as("the server has it: abortonclose does not apply").isEqualTo(FORWARDING);
        answer(upstream(), OK);
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(received()).contains("connection: close").endsWith("ok");
    }

    @Test
    void finCuttingABodyWhileForwardingAborts() throws Exception {
        open();
        send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc");
        EmbeddedUpstream up = upstream();
        assertThat(phase()).isEqualTo(FORWARDING);
        fin();
        assertThat(phase()).as("FORWARDING → CLOSING").isEqualTo(CLOSING);
        assertThat(up.isOpen()).as("a half-sent request's connection is not reused").isFalse();
        assertThat(received()).isEmpty();
    }

    @Test
    void finAfterACompleteBodyStillForwardsIt() throws Exception {
        open();
        EmbeddedUpstream.holdConnects = true;
        send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabcdef");
        fin();
        assertThat(phase()).isEqualTo(CONNECTING);
        upstream().completeConnect();
        client.runPendingTasks();
        assertThat(upstream().sent()).endsWith("\r\n\r\nabcdef");
        answer(upstream(), OK);
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(received()).endsWith("ok");
    }

    @Test
    void finWhileRespondingFinishesTheResponse() throws Exception {
        open();
        send(GET);
        answer(upstream(), "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab");
        fin();
        assertThat(phase()).isEqualTo(RESPONDING);
        answer(upstream(), "cd");
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(received()).endsWith("abcd");
    }

    @Test
    void finCuttingABodyAfterAnEarlyResponseFinishesThatResponse() throws Exception {
        open();
        send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc");
        EmbeddedUpstream up = upstream();
        answer(up, "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 4\r\n\r\nto");
        fin();
        assertThat(phase()).isEqualTo(RESPONDING);
        answer(up, "oo");
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(received()).startsWith("HTTP/1.1 413 ").endsWith("tooo");
        assertThat(up.isOpen()).as("the request never completed: not pooled").isFalse();
    }

    @Test
    void finWithPipelinedRequestsServesThemAllThenCloses() throws Exception {
        open();
        send(GET + "GET /local HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
        fin();
        EmbeddedUpstream up = upstream();
        assertThat(phase()).isEqualTo(FORWARDING);
        answer(up, OK);
        assertThat(phase()).as("/local answered, /3 forwarded on the pooled connection").isEqualTo(FORWARDING);
        String first = received();
        assertThat(first).doesNotContain("connection: close").contains("nope");
        assertThat(up.sent()).contains("GET /3 HTTP/1.1");
        answer(up, OK);
        assertThat(phase()).isEqualTo(CLOSING);
        assertThat(received()).contains("connection: close").endsWith("ok");
    }

    @Test
    void finBeforeA101IsPassedToTheTunnel() throws Exception {
        open();
        send("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        fin();
        EmbeddedUpstream up = upstream();
        assertThat(phase()).isEqualTo(FORWARDING);
        answer(up, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        client.runPendingTasks();
        up.runPendingTasks();
        assertThat(phase()).isEqualTo(TUNNEL);
        assertThat(up.isOutputShutdown()).as("the server got the client's FIN").isTrue();
    }
}
