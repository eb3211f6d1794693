/**
 * Listening sockets: {@link io.flagman.proxy.listen.ListenerManager} reconciles binds across snapshots (new
 * ones opened before the swap, kept ones untouched, removed ones drained), and each accepted connection gets
 * its pipeline from its bind's options (PROXY protocol, TLS) and its frontend's mode.
 */
package io.flagman.proxy.listen;
