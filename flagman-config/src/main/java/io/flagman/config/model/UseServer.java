package io.flagman.config.model;

/** {@code use-server <server> [if|unless <condition>]} in a backend. */
public record UseServer(String server, Condition condition, int line) {}
