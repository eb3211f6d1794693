package io.flagman.app;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Server;
import io.flagman.control.RuntimeServers;
import io.flagman.proxy.DataPlane;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import io.flagman.proxy.stats.StatRow;
import io.flagman.proxy.upstream.ServerState;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adapts the data plane's live server state to the control plane's {@link RuntimeServers} port: what
 * {@code /v3/services/haproxy/runtime/backends/{b}/servers} reads and changes (never written to the file). Ids
 * and the last change come from the same {@code show stat} rows the runtime socket prints.
 */
final class DataPlaneRuntime implements RuntimeServers {

    private final DataPlane dataPlane;

    DataPlaneRuntime(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Override
    public List<State> servers(String backend) {
        Map<String, StatRow> rows = rows(backend);
        return dataPlane.config().backend(backend)
                .map(b -> b.servers().stream().map(s -> state(b, s, rows)).flatMap(Optional::stream).toList())
                .orElse(List.of());
    }

    @Override
    public Optional<State> server(String backend, String name) {
        return dataPlane.config().backend(backend)
                .flatMap(b -> b.server(name).flatMap(s -> state(b, s, rows(backend))));
    }

    /** The server rows of {@code backend}'s {@code show stat}, by server name. */
    private Map<String, StatRow> rows(String backend) {
        Map<String, StatRow> out = new HashMap<>();
        for (StatRow r : dataPlane.statistics()) {
            if (r.object() == StatObject.SERVER && r.proxy().equals(backend)) {
                out.put(r.name(), r);
            }
        }
        return out;
    }

    private Optional<State> state(Backend backend, Server server, Map<String, StatRow> rows) {
        return dataPlane.serverState(backend.name(), server.name()).map(st -> {
            InetSocketAddress override = st.addressOverride();
            String address = override != null ? override.getHostString() : server.host();
            int port = override != null ? override.getPort() : server.port();
            int weight = st.weightOverride() >= 0 ? st.weightOverride() : server.weight();
            String operational = st.health() == ServerState.Health.UP ? "up" : "down";
            StatRow row = rows.get(server.name());
            int id = row != null ? row.sid() : 0;
            int backendId = row != null ? row.iid() : 0;
            long lastChange = row != null ? row.number(StatField.LASTCHG) : 0;
            return new State(backend.name(), server.name(), id, backendId, address, port,
                    AdminState.valueOf(st.adminState().name()), operational, weight, server.weight(), lastChange,
                    st.activeConnections(), st.totalConnections());
        });
    }

    @Override
    public boolean setAdminState(String backend, String name, AdminState state) {
        Optional<ServerState> st = dataPlane.serverState(backend, name);
        st.ifPresent(s -> s.setAdminState(ServerState.AdminState.valueOf(state.name())));
        return st.isPresent();
    }

    @Override
    public boolean setHealth(String backend, String name, boolean up) {
        Optional<ServerState> st = dataPlane.serverState(backend, name);
        st.ifPresent(s -> s.setHealth(up ? ServerState.Health.UP : ServerState.Health.DOWN));
        return st.isPresent();
    }

    @Override
    public boolean setWeight(String backend, String name, int weight) {
        Optional<ServerState> st = dataPlane.serverState(backend, name);
        st.ifPresent(s -> s.setWeightOverride(weight));
        return st.isPresent();
    }

    @Override
    public boolean setAddress(String backend, String name, String address, int port) {
        Optional<ServerState> st = dataPlane.serverState(backend, name);
        // Resolved here, on the API thread, so the event loops never wait for a name lookup.
        InetSocketAddress resolved = new InetSocketAddress(address, port);
        st.ifPresent(s -> s.setAddressOverride(resolved));
        return st.isPresent();
    }
}
