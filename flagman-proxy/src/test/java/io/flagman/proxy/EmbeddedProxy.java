package io.flagman.proxy;

import io.flagman.config.ConfigLoader;
import io.flagman.config.LoadResult;
import io.flagman.proxy.upstream.ServerStateRegistry;
import io.flagman.proxy.upstream.UpstreamConnector;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A compiled configuration and the context connection handlers share, without event loops or listeners: for
 * driving a frontend pipeline in an {@code EmbeddedChannel}. Upstream connections cannot be opened from an
 * embedded channel's loop (it is not an I/O loop), so every attempt fails at once and is counted on the server's
 * live state ({@link io.flagman.proxy.upstream.ServerState#totalConnections()}): the count of requests that were
 * forwarded.
 */
public record EmbeddedProxy(ProxyContext context, ServerStateRegistry registry) {

    public static EmbeddedProxy compile(String configText) {
        LoadResult r = ConfigLoader.fromText("fuzz.cfg", configText, Path.of("."));
        if (!r.ok()) {
            throw new IllegalArgumentException("config does not load: " + r.errors());
        }
        ServerStateRegistry registry = new ServerStateRegistry();
        try {
            SnapshotCompiler.Compiled compiled = new SnapshotCompiler(registry, LogSink::open).compile(r.config());
            registry.commit(compiled.serverStates(), r.config()); // as DataPlane.apply does after its swap
            return new EmbeddedProxy(new ProxyContext(new AtomicReference<>(compiled.snapshot()),
                    new UpstreamConnector(NioSocketChannel.class)), registry);
        } catch (ApplyException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Connection attempts to any server of the configuration so far. */
    public long forwarded() {
        return context.snapshot().config().backends().stream()
                .flatMap(b -> b.servers().stream().map(s -> registry.get(b.name(), s.name())))
                .mapToLong(s -> s.map(st -> st.totalConnections()).orElse(0L))
                .sum();
    }
}
