package io.flagman.app;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Server;
import io.flagman.control.RuntimeServers;
import io.flagman.proxy.DataPlane;
import io.flagman.proxy.runtime.ServerControl;
import io.flagman.proxy.upstream.ServerState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Adapts the data plane's live server state to the control plane's {@link RuntimeServers} port: what
 * {@code /v3/services/haproxy/runtime/backends/{b}/servers} reads and changes (never written to the file). The
 * changes go through {@link ServerControl}, the same operations the runtime socket's commands use; the servers
 * listed are the running ones, those added at runtime ({@code add server}) included.
 */
final class DataPlaneRuntime implements RuntimeServers {

    private final DataPlane dataPlane;
    private final ServerControl control;

    DataPlaneRuntime(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
        this.control = new ServerControl(dataPlane);
    }

    @Override
    public List<State> servers(String backend) {
        return dataPlane.snapshot().config().backend(backend)
                .map(b -> b.servers().stream().map(s -> state(b, s)).flatMap(Optional::stream).toList())
                .orElse(List.of());
    }

    @Override
    public Optional<State> server(String backend, String name) {
        return dataPlane.snapshot().config().backend(backend)
                .flatMap(b -> b.server(name).flatMap(s -> state(b, s)));
    }

    private Optional<State> state(Backend backend, Server server) {
        return dataPlane.serverState(backend.name(), server.name()).map(st -> {
            InetSocketAddress override = st.addressOverride();
            String address = override != null ? override.getHostString() : server.host();
            int port = override != null ? override.getPort() : server.port();
            int weight = st.weightOverride() >= 0 ? st.weightOverride() : server.weight();
            String operational = st.health() == ServerState.Health.UP ? "up" : "down";
            return new State(backend.name(), server.name(), address, port, AdminState.valueOf(st.adminState().name()),
                    operational, weight, st.activeConnections(), st.totalConnections());
        });
    }

    @Override
    public boolean setAdminState(String backend, String name, AdminState state) {
        Optional<ServerState> st = dataPlane.serverState(backend, name);
        st.ifPresent(s -> control.setAdminState(s, ServerState.AdminState.valueOf(state.name())));
        return st.isPresent();
    }

    @Override
    public boolean setWeight(String backend, String name, int weight) {
        Optional<ServerState> st = dataPlane.serverState(backend, name);
        st.ifPresent(s -> control.setWeight(s, weight));
        return st.isPresent();
    }

    @Override
    public boolean setAddress(String backend, String name, String address, int port) {
        Optional<ServerState> st = dataPlane.serverState(backend, name);
        // Resolved here, on the API thread, so the event loops never wait for a name lookup.
        InetSocketAddress resolved = new InetSocketAddress(address, port);
        st.ifPresent(s -> control.setAddress(s, resolved));
        return st.isPresent();
    }
}
