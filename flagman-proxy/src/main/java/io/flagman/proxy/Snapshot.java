package io.flagman.proxy;

import io.flagman.config.model.Config;
import java.util.Map;

/**
 * One compiled configuration: what a request reads once (one volatile read of {@link DataPlane}'s reference)
 * and then uses until it ends. Immutable.
 */
public record Snapshot(Config config, Map<String, FrontendRuntime> frontends, Map<String, BackendRuntime> backends,
        long hardStopAfterMillis) {

    public FrontendRuntime frontend(String name) {
        return frontends.get(name);
    }

    public BackendRuntime backend(String name) {
        return name == null ? null : backends.get(name);
    }
}
