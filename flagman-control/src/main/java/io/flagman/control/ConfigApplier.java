package io.flagman.control;

import io.flagman.config.model.Config;

/**
 * Makes a validated configuration live. The application wires the data plane in
 * ({@code dataPlane::apply}); an exception rejects the change (e.g. a bind that cannot open) and the previous
 * configuration must stay in force.
 */
@FunctionalInterface
public interface ConfigApplier {
    void apply(Config config) throws Exception;
}
