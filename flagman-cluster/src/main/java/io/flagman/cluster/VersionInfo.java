package io.flagman.cluster;

import java.time.Instant;

/**
 * One immutable configuration version's metadata ({@code <p>/versions/N}).
 *
 * @param number the global version number (1, 2, …)
 * @param parent the version the channel pointed to when this one was published (0: none)
 * @param author who published it (the API user)
 * @param message the commit message (may be empty)
 * @param time when it was published
 * @param checksum lowercase hex SHA-256 of the UTF-8 text without its version line
 * @param size the text's length in UTF-8 bytes
 * @param chunks how many blob chunks hold the gzip-compressed text
 */
public record VersionInfo(long number, long parent, String author, String message, Instant time, String checksum,
        int size, int chunks) {}
