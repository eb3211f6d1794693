package io.flagman.config.model;

import java.util.List;
import java.util.Set;

/**
 * A {@code frontend} (or the frontend half of a {@code listen}), with defaults resolved.
 *
 * @param maxconn 0 when unset
 * @param backlog 0 when unset
 * @param defaultBackend null when unset
 * @param forwardFor null when {@code option forwardfor} is off
 * @param logs effective log targets ({@code log global} already expanded); empty = no logging
 * @param listen true when this comes from a {@code listen} section
 * @param stats the stats page served by this proxy, null when none
 * @param redirectRules the proxy's {@code redirect} rules: run after the http-request rules (even after an
 *     {@code allow}) and the stats page, before {@code use_backend}, as in HAProxy
 * @param defaultBackendLine the line of the {@code default_backend} in force (its own section's or the defaults
 *     section's it inherits), 0 when unset or unknown (a listen section is its own default backend)
 */
public record Frontend(
        String name,
        Mode mode,
        List<Bind> binds,
        int maxconn,
        int backlog,
        List<Acl> acls,
        List<HttpRule> httpRequestRules,
        List<HttpRule> httpResponseRules,
        List<HttpRule> redirectRules,
        List<UseBackend> useBackends,
        String defaultBackend,
        Set<ProxyOption> options,
        ForwardFor forwardFor,
        Timeouts timeouts,
        List<LogTarget> logs,
        List<ErrorFile> errorFiles,
        StatsPage stats,
        boolean listen,
        boolean disabled,
        int line,
        int defaultBackendLine) {

    public Frontend {
        binds = List.copyOf(binds);
        acls = List.copyOf(acls);
        httpRequestRules = List.copyOf(httpRequestRules);
        httpResponseRules = List.copyOf(httpResponseRules);
        redirectRules = List.copyOf(redirectRules);
        useBackends = List.copyOf(useBackends);
        options = Set.copyOf(options);
        logs = List.copyOf(logs);
        errorFiles = List.copyOf(errorFiles);
    }

    /** A frontend without {@code redirect} rules whose {@code default_backend} line is not known (a model not read from text). */
    public Frontend(String name, Mode mode, List<Bind> binds, int maxconn, int backlog, List<Acl> acls,
            List<HttpRule> httpRequestRules, List<HttpRule> httpResponseRules, List<UseBackend> useBackends,
            String defaultBackend, Set<ProxyOption> options, ForwardFor forwardFor, Timeouts timeouts,
            List<LogTarget> logs, List<ErrorFile> errorFiles, StatsPage stats, boolean listen, boolean disabled,
            int line) {
        this(name, mode, binds, maxconn, backlog, acls, httpRequestRules, httpResponseRules, List.of(), useBackends,
                defaultBackend, options, forwardFor, timeouts, logs, errorFiles, stats, listen, disabled, line, 0);
    }

    public boolean has(ProxyOption option) {
        return options.contains(option);
    }
}
