package io.flagman.config.model;

import java.util.List;
import java.util.Optional;

/**
 * The whole configuration: what the data plane compiles and what the API reads.
 *
 * <p>Defaults are already resolved into every frontend and backend. A {@code listen} section appears both as a
 * {@link Frontend} (whose default backend is itself) and as a {@link Backend} of the same name.
 *
 * @param version the {@code # _version=N} stamp of the file, 0 when absent
 */
public record Config(
        long version,
        Global global,
        List<Defaults> defaults,
        List<Frontend> frontends,
        List<Backend> backends,
        List<Userlist> userlists) {

    public static final Config EMPTY = new Config(0, Global.DEFAULT, List.of(), List.of(), List.of(), List.of());

    public Config {
        defaults = List.copyOf(defaults);
        frontends = List.copyOf(frontends);
        backends = List.copyOf(backends);
        userlists = List.copyOf(userlists);
    }

    public Optional<Frontend> frontend(String name) {
        return frontends.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public Optional<Backend> backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    public Optional<Userlist> userlist(String name) {
        return userlists.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    public Config withVersion(long newVersion) {
        return new Config(newVersion, global, defaults, frontends, backends, userlists);
    }
}
