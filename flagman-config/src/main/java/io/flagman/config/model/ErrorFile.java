package io.flagman.config.model;

/** {@code errorfile <status> <file>}: the file holds a complete raw HTTP response. */
public record ErrorFile(int status, String path) {}
