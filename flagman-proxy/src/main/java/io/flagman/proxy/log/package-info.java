/**
 * Access log lines in HAProxy's formats ({@code option httplog}, {@code option tcplog}). The data plane fills the
 * entry records and writes the lines; this package only renders them. Depends on {@code io.flagman.proxy.rule}.
 */
package io.flagman.proxy.log;
