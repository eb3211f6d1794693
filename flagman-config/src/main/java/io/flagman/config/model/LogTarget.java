package io.flagman.config.model;

/**
 * One {@code log} line.
 *
 * @param address {@code stdout}, {@code stderr}, {@code udp@host:port}, {@code /dev/log}… as written
 * @param format {@code raw}, {@code rfc3164}, {@code rfc5424}, {@code short}… or null for HAProxy's default
 * @param facility the syslog facility (e.g. {@code daemon}, {@code local0})
 * @param level the maximum level, or null
 */
public record LogTarget(String address, String format, String facility, String level) {}
