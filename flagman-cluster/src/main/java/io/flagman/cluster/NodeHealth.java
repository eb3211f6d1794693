package io.flagman.cluster;

/**
 * The data plane's health as a node reports it (servers UP and DOWN, requests, 5xx responses). A port: the
 * application implements it over the data plane's statistics, so this module never reaches the data plane itself.
 */
@FunctionalInterface
public interface NodeHealth {

    /** Nothing to report (no data plane wired). */
    NodeHealth NONE = Health::none;

    /** The health now; cheap enough to call every heartbeat. */
    Health read();
}
