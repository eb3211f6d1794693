/**
 * Active health checks with HAProxy's semantics ({@code server … check inter rise fall}, {@code timeout check},
 * {@code option httpchk}): one {@link io.flagman.proxy.health.HealthChecks} per data plane keeps one checker per
 * checked server, keyed by its live {@link io.flagman.proxy.upstream.ServerState} so that a server surviving an
 * apply keeps its counters. Checks run on the data plane's event loops through Netty and never block. Depends on
 * the core package and {@code upstream}; nothing but the core depends on it.
 */
package io.flagman.proxy.health;
