/**
 * TCP mode: route a connection, connect to a server on the same event loop, and relay bytes both ways with
 * backpressure and half-close ({@link io.flagman.proxy.tcp.Relay}, also used for HTTP upgrades).
 */
package io.flagman.proxy.tcp;
