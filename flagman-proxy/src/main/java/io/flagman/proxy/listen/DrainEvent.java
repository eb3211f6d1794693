package io.flagman.proxy.listen;

/**
 * Fired (as a user event, on the connection's event loop) at every connection of a listener that went away:
 * idle connections close now, busy ones after the exchange under way (HTTP) or when the tunnel ends.
 */
public final class DrainEvent {
    public static final DrainEvent INSTANCE = new DrainEvent();

    private DrainEvent() {}
}
