package io.flagman.proxy.listen;

import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.rule.SampleSource;
import java.net.InetSocketAddress;

/**
 * The connection facts of a {@link SampleSource}, answered in one place for both modes: addresses and TLS facts
 * from the {@link ClientConnection}, {@code nbsrv} from the snapshot the connection or request runs on. The TCP
 * handler and the HTTP exchange implement it and add what only they know (the request, in HTTP mode).
 */
public interface ConnectionSample extends SampleSource {

    /** The client connection the facts are read from. */
    ClientConnection connection();

    /** The snapshot in force for this connection (TCP) or request (HTTP). */
    Snapshot snapshot();

    @Override
    default InetSocketAddress source() {
        return connection().source();
    }

    @Override
    default InetSocketAddress destination() {
        return connection().destination();
    }

    @Override
    default boolean isSsl() {
        return connection().isSsl();
    }

    @Override
    default String sni() {
        return connection().sni();
    }

    @Override
    default int usableServers(String backendName) {
        BackendRuntime b = snapshot().backend(backendName);
        return b == null ? 0 : b.usableServers();
    }
}
