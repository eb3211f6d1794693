package io.flagman.proxy.runtime;

import io.flagman.config.model.Global;

/** The global settings every runtime socket connection uses: {@code stats timeout} and {@code stats maxconn}. */
record CliSettings(long timeoutMillis, int maxconn) {

    static CliSettings of(Global global) {
        return new CliSettings(global.effectiveStatsTimeout().toMillis(), global.effectiveStatsMaxconn());
    }
}
