package io.flagman.config.model;

import java.util.List;

/**
 * What one {@code acl} line (or an anonymous {@code { … }} ACL) tests: a fetch, a match method, flags and
 * patterns. Parsed once; the data plane compiles it into a matcher.
 *
 * @param ignoreCase {@code -i}
 * @param patterns the patterns in order; for {@link Match#INT} they may hold operators ({@code lt 1}) and
 *     ranges ({@code 1024:65535})
 * @param patternFiles {@code -f <file>} files (one pattern per line), loaded when the data plane compiles
 * @param criterion the fetch as written ({@code hdr_reg(host)}): the API's {@code criterion}
 * @param value the flags and patterns as written ({@code -i ^www\.}): the API's {@code value}
 */
public record AclTest(
        Fetch fetch,
        Match match,
        boolean ignoreCase,
        List<String> patterns,
        List<String> patternFiles,
        String criterion,
        String value) {

    public AclTest {
        patterns = List.copyOf(patterns);
        patternFiles = List.copyOf(patternFiles);
    }
}
