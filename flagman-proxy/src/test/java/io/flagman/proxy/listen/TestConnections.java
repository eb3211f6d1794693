package io.flagman.proxy.listen;

import io.flagman.proxy.Snapshot;
import java.net.InetSocketAddress;

/** Client connections for handler tests, accepted on the first bind of a snapshot's frontend. */
public final class TestConnections {
    private TestConnections() {}

    public static ClientConnection of(Snapshot s, String frontend) {
        var bind = s.config().frontends().stream().filter(f -> f.name().equals(frontend)).findFirst().orElseThrow()
                .binds().get(0);
        return new ClientConnection(new Listener(bind, null, frontend, 0), new InetSocketAddress("192.0.2.10", 40000),
                new InetSocketAddress("192.0.2.1", 80), false);
    }
}
