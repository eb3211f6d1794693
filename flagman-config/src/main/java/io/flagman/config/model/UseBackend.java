package io.flagman.config.model;

/**
 * {@code use_backend <backend> [if|unless <condition>]}.
 *
 * @param backend a backend name, or a log-format expression when it contains {@code %[}
 * @param condition null for an unconditional rule
 */
public record UseBackend(String backend, Condition condition, int line) {}
