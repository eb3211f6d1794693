/**
 * The runtime socket ({@code stats socket}): HAProxy's CLI on unix and TCP sockets. {@link
 * io.flagman.proxy.runtime.RuntimeSockets} binds them on apply; {@code CliSession} frames a connection
 * (non-interactive and prompt modes, {@code ;} chaining, the trailer); {@code CommandTable} finds a command, checks
 * its level and runs it; each command family is one class that parses its arguments, acts through {@link
 * io.flagman.proxy.runtime.ServerControl} (the same operations the Data Plane API's runtime endpoints use) and
 * formats HAProxy's reply.
 */
package io.flagman.proxy.runtime;
