package io.flagman.cluster;

/**
 * A configuration version with its text. The text is stored without a {@code # _version} line: a node writes
 * its own ({@code VersionLine.write(text, info.number())}).
 */
public record ConfigVersion(VersionInfo info, String text) {}
