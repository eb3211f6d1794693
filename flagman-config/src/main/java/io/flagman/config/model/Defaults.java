package io.flagman.config.model;

import java.util.List;
import java.util.Set;

/**
 * A {@code defaults} section as it stands after its own {@code from} parent was applied.
 *
 * @param name null for an anonymous section
 * @param from the parent defaults section, or null
 * @param mode null when unset
 * @param balance null when unset
 * @param disabledOptions options turned off with {@code no option …}
 * @param retries -1 when unset
 * @param maxconn 0 when unset
 * @param defaultServer the {@code default-server} settings applied to servers, as a template server (null when
 *     absent)
 */
public record Defaults(
        String name,
        String from,
        Mode mode,
        Balance balance,
        Set<ProxyOption> options,
        Set<ProxyOption> disabledOptions,
        ForwardFor forwardFor,
        HttpCheck httpCheck,
        Timeouts timeouts,
        int retries,
        int maxconn,
        List<LogTarget> logs,
        List<ErrorFile> errorFiles,
        Server defaultServer,
        int line) {

    public Defaults {
        options = Set.copyOf(options);
        disabledOptions = Set.copyOf(disabledOptions);
        logs = List.copyOf(logs);
        errorFiles = List.copyOf(errorFiles);
    }
}
