package io.flagman.proxy;

import io.flagman.config.model.Config;
import io.flagman.proxy.upstream.ServerStateRegistry;
import io.flagman.proxy.upstream.UpstreamConnector;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link ProxyContext} for handler tests: the compiled snapshot of a configuration, no listener, no log sink. */
public final class TestProxyContext {
    private TestProxyContext() {}

    /** {@code upstreams}: the channel class upstream connections are made of (an embedded one in unit tests). */
    public static ProxyContext of(String configText, Class<? extends SocketChannel> upstreams) throws ApplyException {
        Config config = ProxyFixture.parse(configText);
        ServerStateRegistry registry = new ServerStateRegistry();
        SnapshotCompiler.Compiled compiled = new SnapshotCompiler(registry, address -> {
            throw new ApplyException("no log targets in handler tests: " + address);
        }).compile(config);
        registry.commit(compiled.serverStates(), config); // as DataPlane.apply does after its swap
        return new ProxyContext(new AtomicReference<>(compiled.snapshot()), new UpstreamConnector(upstreams));
    }
}
