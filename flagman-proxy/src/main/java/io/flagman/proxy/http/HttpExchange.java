package io.flagman.proxy.http;

import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.FrontendRuntime;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.listen.ClientConnection;
import io.flagman.proxy.listen.ConnectionSample;
import io.flagman.proxy.rule.ResponseSample;
import io.netty.handler.codec.http.HttpHeaders;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * One request/response exchange on a client connection: the snapshot it started on (it finishes there even if
 * the configuration changes meanwhile), the route taken, timing and byte counts for the log. Confined to the
 * client connection's event loop; it is the {@link SampleSource} rules and balancers read.
 */
final class HttpExchange implements ResponseSample, ConnectionSample {
    final ClientConnection cc;
    final HttpRequest request;
    final Snapshot snapshot;
    final FrontendRuntime frontend;
    final long startNanos;
    final long startMillis;
    final String method;
    final String uri;
    final String version;
    final boolean head;
    BackendRuntime backend;
    ServerEndpoint server;
    ServerEndpoint excluded;
    boolean hasBody;
    /** Answered by {@code http-request deny}: HAProxy logs it as {@code PR--}, other local answers {@code LR--}. */
    boolean denied;
    boolean upgrade;
    /** The request's last chunk went to the server (a server may answer before that). */
    boolean requestDone;
    /** The client asked for keep-alive and nothing (options, drain, an unframed 1.0 response) forbids it. */
    boolean clientKeepAlive;
    /** The server's response allows returning its connection to the pool. */
    boolean upstreamReusable;
    /** A 1xx response is being relayed (its end is not the exchange's end). */
    boolean informational;
    boolean slotHeld;
    boolean reused;
    boolean replayed;
    int attempts;
    int status = -1;
    long queueNanos = -1;
    long connectNanos = -1;
    long responseNanos = -1;
    long bytesOut;
    long bytesIn;
    /** Bytes received from the client for this exchange as the decoder read them (-1: not known). */
    long received = -1;
    char termination = '-';
    char termState = '-';
    HttpHeaders responseHeaders;

    HttpExchange(ClientConnection cc, HttpRequest request, Snapshot snapshot, FrontendRuntime frontend) {
        this.cc = cc;
        this.request = request;
        this.snapshot = snapshot;
        this.frontend = frontend;
        this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
        this.method = request.method().name();
        this.uri = request.uri();
        this.version = request.protocolVersion().text();
        this.head = request.method() == HttpMethod.HEAD;
    }

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
        return method;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String httpVersion() {
        return version;
    }

    @Override
    public List<String> headerValues(String name) {
        return request.headers().getAll(name);
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public List<String> responseHeaderValues(String name) {
        return responseHeaders == null ? List.of() : responseHeaders.getAll(name);
    }
}
