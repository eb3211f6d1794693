package io.flagman.proxy.runtime;

import io.flagman.config.model.Backend;
import io.flagman.config.model.Server;
import io.flagman.proxy.ApplyException;
import io.flagman.proxy.BackendRuntime;
import io.flagman.proxy.DataPlane;
import io.flagman.proxy.Snapshot;
import io.flagman.proxy.upstream.ServerEndpoint;
import io.flagman.proxy.upstream.ServerState;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The runtime operations on servers, one implementation behind the runtime socket and the Data Plane API's runtime
 * endpoints: admin state, weight, address, health checks on/off, servers added and deleted at runtime. Each changes
 * live state only (never the file, never the configuration version); a change counts from the next request.
 *
 * <p>Thread-safety: any thread; {@link #add} and {@link #delete} take the data plane's apply lock.
 */
public final class ServerControl {
    private final DataPlane dataPlane;

    public ServerControl(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    /** A server of the running snapshot: its backend's model and runtime, its endpoint, its 1-based id. */
    public record Target(Backend backend, BackendRuntime runtime, ServerEndpoint endpoint, int id) {
        public ServerState state() {
            return endpoint.state();
        }

        public Server server() {
            return endpoint.server();
        }
    }

    Snapshot snapshot() {
        return dataPlane.snapshot();
    }

    DataPlane dataPlane() {
        return dataPlane;
    }

    /** The server {@code name} of {@code backend} in the running snapshot (runtime-added ones included). */
    public Optional<Target> find(String backend, String name) {
        Snapshot s = dataPlane.snapshot();
        BackendRuntime br = s.backend(backend);
        Backend model = s.config().backend(backend).orElse(null);
        if (br == null || model == null) {
            return Optional.empty();
        }
        List<ServerEndpoint> servers = br.servers();
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i).name().equals(name)) {
                return Optional.of(new Target(model, br, servers.get(i), i + 1));
            }
        }
        return Optional.empty();
    }

    /** {@code set server … state ready|drain|maint}. */
    public void setAdminState(ServerState state, ServerState.AdminState admin) {
        state.setAdminState(admin);
    }

    /** {@code set server … weight}: 0..256. */
    public void setWeight(ServerState state, int weight) {
        state.setWeightOverride(weight);
    }

    /** {@code set server … addr}: resolved by the caller, so no event loop waits for a name lookup. */
    public void setAddress(ServerState state, InetSocketAddress address) {
        state.setAddressOverride(address);
    }

    /** {@code enable health} / {@code disable health}. */
    public void setCheckEnabled(ServerState state, boolean enabled) {
        state.setCheckEnabled(enabled);
    }

    /** {@code add server}: see {@link DataPlane#addServer}. */
    public ServerState add(String backend, Server server) throws ApplyException {
        ServerState st = dataPlane.addServer(backend, server);
        return st;
    }

    /** {@code del server}: see {@link DataPlane#deleteServer}. */
    public void delete(String backend, String server) throws ApplyException {
        dataPlane.deleteServer(backend, server);
    }

    public boolean isRuntimeServer(String backend, String server) {
        return dataPlane.isRuntimeServer(backend, server);
    }
}
