package io.flagman.config.text;

/**
 * One word of a configuration line after HAProxy's quoting rules.
 *
 * @param value the word after unquoting, unescaping and {@code "${VAR}"} expansion
 * @param column 1-based column where the word starts in the line
 * @param raw the word exactly as written (quotes and backslashes included)
 */
public record Token(String value, int column, String raw) {}
