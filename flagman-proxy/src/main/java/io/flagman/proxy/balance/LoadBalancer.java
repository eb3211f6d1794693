package io.flagman.proxy.balance;

import io.flagman.proxy.rule.SampleSource;

/**
 * Picks a server for one request or connection. One instance per backend per snapshot; may be called from
 * several event loops at once, so implementations are thread-safe.
 */
public interface LoadBalancer {

    /** The chosen server, or null when none is usable (the caller answers 503). Backups are used only when no
     * active server is usable. */
    Candidate pick(SampleSource request);
}
