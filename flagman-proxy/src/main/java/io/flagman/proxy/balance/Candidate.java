package io.flagman.proxy.balance;

/**
 * A server as a load balancer sees it. Implemented by the data plane's server endpoint; every accessor reads
 * live state (admin state, health, runtime weight), so balancers never cache it across picks.
 */
public interface Candidate {

    String name();

    /** The current effective weight; a server of weight 0 is never picked (HAProxy: weight 0 takes no new traffic). */
    int weight();

    boolean backup();

    /** True when the server may take new traffic: not in maintenance or drain, not down, not full. */
    boolean usable();

    /** Connections or requests currently being served by this server ({@code leastconn}). */
    int activeConnections();
}
