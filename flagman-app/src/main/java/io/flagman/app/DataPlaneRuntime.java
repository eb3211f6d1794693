package io.flagman.app;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Server;
import io.flagman.control.RuntimeServers;
import io.flagman.proxy.DataPlane;
import io.flagman.proxy.runtime.AdminCommand;
import io.flagman.proxy.runtime.ServerControl;
import io.flagman.proxy.stats.StatField;
import io.flagman.proxy.stats.StatObject;
import io.flagman.proxy.stats.StatRow;
import io.flagman.proxy.upstream.ServerState;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adapts the data plane's live server state to the control plane's {@link RuntimeServers} port: what
 * {@code /v3/services/haproxy/runtime/backends/{b}/servers} reads and changes (never written to the file). The
 * changes go through {@link ServerControl} and the runtime socket's own commands ({@link AdminCommand}: health,
 * {@code add server}, {@code del server}), so the API and the socket answer alike; the servers listed are the
 * running ones, those added at runtime included. Ids and the last change come from the same {@code show stat}
 * rows the socket prints.
 */
final class DataPlaneRuntime implements RuntimeServers {

    private final DataPlane dataPlane;
    private final ServerControl control;
    private final AdminCommand commands;

    DataPlaneRuntime(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
        this.control = new ServerControl(dataPlane);
        this.commands = new AdminCommand(dataPlane);
    }

    @Override
    public List<State> servers(String backend) {
        Map<String, StatRow> rows = rows(backend);
        return dataPlane.snapshot().config().backend(backend)
                .map(b -> b.servers().stream().map(s -> state(b, s, rows)).flatMap(Optional::stream).toList())
                .orElse(List.of());
    }

    @Override
    public Optional<State> server(String backend, String name) {
        return dataPlane.snapshot().config().backend(backend)
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
        st.ifPresent(s -> control.setAdminState(s, ServerState.AdminState.valueOf(state.name())));
        return st.isPresent();
    }

    @Override
    public boolean setHealth(String backend, String name, String state) {
        return !commands.run(List.of("set", "server", backend + "/" + name, "health", state)).error();
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

    @Override
    public Outcome addServer(String backend, String name, List<String> arguments) {
        List<String> words = new ArrayList<>(List.of("add", "server", backend + "/" + name));
        words.addAll(arguments);
        return outcome(commands.run(words));
    }

    @Override
    public Outcome deleteServer(String backend, String name) {
        return outcome(commands.run(List.of("del", "server", backend + "/" + name)));
    }

    /** HAProxy's DPA reads the socket's texts the same way: "No such …" is 404, "Already exists" 409. */
    private static Outcome outcome(AdminCommand.Answer a) {
        String text = a.text().strip();
        if (!a.error()) {
            return new Outcome.Done();
        }
        if (text.contains("No such backend")) {
            return new Outcome.NoSuchBackend(text);
        }
        if (text.contains("No such server")) {
            return new Outcome.NoSuchServer(text);
        }
        if (text.contains("Already exists")) {
            return new Outcome.AlreadyExists(text);
        }
        return new Outcome.Refused(text);
    }
}
