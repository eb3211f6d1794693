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
        int line) {

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

    public boolean has(ProxyOption option) {
        return options.contains(option);
    }
}
