package io.flagman.config.model;

/**
 * One {@code acl <name> <criterion> [flags] [patterns]} line. Several lines with the same name form one ACL that
 * matches when any of them matches.
 */
public record Acl(String name, AclTest test, int line) {}
