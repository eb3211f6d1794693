package io.flagman.config.model;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code backend} (or the backend half of a {@code listen}), with defaults and {@code default-server}
 * resolved.
 *
 * @param retries connection attempts after the first failed one (HAProxy's default: 3)
 * @param httpCheck null unless {@code option httpchk}
 * @param forwardFor null when {@code option forwardfor} is off
 * @param stats the stats page served by this proxy, null when none
 * @param redirectRules the proxy's {@code redirect} rules: run after its http-request rules (even after an
 *     {@code allow}) and its stats page, as in HAProxy
 */
public record Backend(
        String name,
        Mode mode,
        Balance balance,
        List<Server> servers,
        List<Acl> acls,
        List<HttpRule> httpRequestRules,
        List<HttpRule> httpResponseRules,
        List<HttpRule> redirectRules,
        List<UseServer> useServers,
        Set<ProxyOption> options,
        ForwardFor forwardFor,
        HttpCheck httpCheck,
        Timeouts timeouts,
        int retries,
        List<LogTarget> logs,
        List<ErrorFile> errorFiles,
        StatsPage stats,
        boolean listen,
        boolean disabled,
        int line) {

    public static final int DEFAULT_RETRIES = 3;

    public Backend {
        servers = List.copyOf(servers);
        acls = List.copyOf(acls);
        httpRequestRules = List.copyOf(httpRequestRules);
        httpResponseRules = List.copyOf(httpResponseRules);
        redirectRules = List.copyOf(redirectRules);
        useServers = List.copyOf(useServers);
        options = Set.copyOf(options);
        logs = List.copyOf(logs);
        errorFiles = List.copyOf(errorFiles);
    }

    public Optional<Server> server(String serverName) {
        return servers.stream().filter(s -> s.name().equals(serverName)).findFirst();
    }

    /** This backend with {@code others} as its servers (the runtime's {@code add server} / {@code del server}). */
    public Backend withServers(List<Server> others) {
        return new Backend(name, mode, balance, others, acls, httpRequestRules, httpResponseRules, redirectRules, useServers, options,
                forwardFor, httpCheck, timeouts, retries, logs, errorFiles, stats, listen, disabled, line);
    }

    public boolean has(ProxyOption option) {
        return options.contains(option);
    }
}
