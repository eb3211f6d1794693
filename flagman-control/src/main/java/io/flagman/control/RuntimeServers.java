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
     * One server's runtime state, as {@code show servers state} has it.
     *
     * @param id the server's id ({@code srv_id})
     * @param backendId the backend's id ({@code be_id})
     * @param operationalState {@code up}, {@code down} or {@code stopping}
     * @param weight the current (runtime) weight ({@code srv_uweight})
     * @param initialWeight the configured weight ({@code srv_iweight})
     * @param address the current address (host or IP)
     * @param lastChange seconds since the server's last state change ({@code srv_last_change})
     */
    record State(String backend, String name, int id, int backendId, String address, int port,
            AdminState adminState, String operationalState, int weight, int initialWeight, long lastChange,
            long currentSessions, long totalSessions) {}

    /** What a runtime {@code add server} or {@code del server} came to. */
    sealed interface Outcome {
        /** Done. */
        record Done() implements Outcome {}

        /** The backend does not exist (404). */
        record NoSuchBackend(String message) implements Outcome {}

        /** The server does not exist (404). */
        record NoSuchServer(String message) implements Outcome {}

        /** A server of that name exists already (409). */
        record AlreadyExists(String message) implements Outcome {}

        /** The data plane refused, with its (HAProxy's) text (400). */
        record Refused(String message) implements Outcome {}

        /** This data plane cannot do it (501). */
        record Unsupported(String message) implements Outcome {}
    }

    /** Every server of {@code backend}, empty when the backend does not exist. */
    List<State> servers(String backend);

    Optional<State> server(String backend, String name);

    /** @return false when the server does not exist */
    boolean setAdminState(String backend, String name, AdminState state);

    /**
     * Forces the server's operational state ({@code set server B/S health up|stopping|down}); a health check
     * overrides it on its next result, as in HAProxy.
     *
     * @param state {@code up}, {@code stopping} or {@code down}
     * @return false when the server does not exist
     */
    boolean setHealth(String backend, String name, String state);

    boolean setWeight(String backend, String name, int weight);

    boolean setAddress(String backend, String name, String address, int port);

    /**
     * {@code add server BACKEND/NAME ARGUMENTS}: a runtime server, kept until the backend's configuration changes or
     * the process restarts.
     *
     * @param arguments the address and the server keywords, as words of a {@code server} line after its name
     */
    default Outcome addServer(String backend, String name, List<String> arguments) {
        return new Outcome.Unsupported("adding servers at runtime is not available in this data plane");
    }

    /** {@code del server BACKEND/NAME} (HAProxy refuses unless the server is in maintenance with no connection). */
    default Outcome deleteServer(String backend, String name) {
        return new Outcome.Unsupported("deleting servers at runtime is not available in this data plane");
    }

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
        public boolean setHealth(String backend, String name, String state) {
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
