package io.flagman.control;

import java.util.List;
import java.util.Optional;

/**
 * The data plane's runtime server state, as the API reads and changes it (not written to the file). The
 * application adapts {@code io.flagman.proxy.DataPlane} to this port.
 */
public interface RuntimeServers {

    /** {@code ready}, {@code drain} or {@code maint}. */
    enum AdminState {
        READY,
        DRAIN,
        MAINT
    }

    /**
     * One server's runtime state.
     *
     * @param operationalState {@code up}, {@code down} or {@code stopping}
     * @param weight the current (runtime) weight
     * @param address the current address (host or IP)
     */
    record State(String backend, String name, String address, int port, AdminState adminState,
            String operationalState, int weight, long currentSessions, long totalSessions) {}

    /** Every server of {@code backend}, empty when the backend does not exist. */
    List<State> servers(String backend);

    Optional<State> server(String backend, String name);

    /** @return false when the server does not exist */
    boolean setAdminState(String backend, String name, AdminState state);

    boolean setWeight(String backend, String name, int weight);

    boolean setAddress(String backend, String name, String address, int port);

    /** A port with no servers at all (before the data plane is wired). */
    RuntimeServers NONE = new RuntimeServers() {
        @Override
        public List<State> servers(String backend) {
            return List.of();
        }

        @Override
        public Optional<State> server(String backend, String name) {
            return Optional.empty();
        }

        @Override
        public boolean setAdminState(String backend, String name, AdminState state) {
            return false;
        }

        @Override
        public boolean setWeight(String backend, String name, int weight) {
            return false;
        }

        @Override
        public boolean setAddress(String backend, String name, String address, int port) {
            return false;
        }
    };
}
