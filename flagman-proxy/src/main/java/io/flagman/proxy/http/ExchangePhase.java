package io.flagman.proxy.http;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a client connection's HTTP exchange stands. {@link HttpFrontendHandler} owns the one phase of its
 * connection and moves it only through {@link #canGo}: an illegal move is a bug (an exception), never a silent
 * state. The request side's progress ({@link HttpExchange#requestDone}) is a fact of the exchange beside the
 * phase: a server may answer before the request body is all sent.
 */
enum ExchangePhase {
    /** No exchange: waiting for a request head (the first one, or the next one on a keep-alive connection). */
    IDLE,
    /** No exchange: dropping the rest of the body of a request answered locally, then {@link #IDLE}. */
    DISCARDING,
    /** A head was received: framing checks, {@code http-request} rules, routing (synchronous). */
    ROUTING,
    /** Reading the body of a request a service of the data plane answers (the stats page's admin form). */
    COLLECTING,
    /** Waiting in the backend's queue for a server slot ({@code maxconn}). */
    QUEUED,
    /** Server slot taken, the connection to the server is being made (retries and a replay included). */
    CONNECTING,
    /** Attached to a server connection: the request goes up; no final response head yet (1xx relayed). */
    FORWARDING,
    /** The final response head went to the client; its body streams. */
    RESPONDING,
    /** A {@code 101} was relayed: the connection is a byte tunnel now, this handler is out of the pipeline. */
    TUNNEL,
    /** The connection is closing: nothing more is read, started or answered. */
    CLOSING;

    private Set<ExchangePhase> next;

    static {
        IDLE.next = EnumSet.of(ROUTING, CLOSING);
        DISCARDING.next = EnumSet.of(IDLE, CLOSING);
        // ROUTING and the phases waiting for a server can answer locally: back to IDLE, or DISCARDING the body.
        ROUTING.next = EnumSet.of(QUEUED, CONNECTING, FORWARDING, COLLECTING, IDLE, DISCARDING, CLOSING);
        COLLECTING.next = EnumSet.of(IDLE, DISCARDING, CLOSING);
        QUEUED.next = EnumSet.of(QUEUED, CONNECTING, FORWARDING, IDLE, DISCARDING, CLOSING);
        CONNECTING.next = EnumSet.of(CONNECTING, QUEUED, FORWARDING, IDLE, DISCARDING, CLOSING);
        // a reused connection that closes before the response: the request is replayed on a new one
        FORWARDING.next = EnumSet.of(RESPONDING, TUNNEL, QUEUED, CONNECTING, IDLE, DISCARDING, CLOSING);
        RESPONDING.next = EnumSet.of(IDLE, DISCARDING, CLOSING);
        TUNNEL.next = EnumSet.of(CLOSING);
        CLOSING.next = EnumSet.of(CLOSING);
    }

    boolean canGo(ExchangePhase to) {
        return next.contains(to);
    }

    /** Nothing more happens on the connection in this phase (closing, or handed to a tunnel). */
    boolean finished() {
        return this == CLOSING || this == TUNNEL;
    }

    /** No exchange is under way (waiting for the next request head, or dropping a body). */
    boolean betweenExchanges() {
        return this == IDLE || this == DISCARDING;
    }
}
