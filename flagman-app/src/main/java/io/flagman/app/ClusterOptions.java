package io.flagman.app;

import io.flagman.cluster.ClusterSettings;
import io.flagman.cluster.EtcdStore;
import java.net.URI;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every fleet command shares: where etcd is, the fleet's prefix, who acts. */
final class ClusterOptions {

    @Option(names = "--cluster", paramLabel = "URLS", defaultValue = "${env:FLAGMAN_CLUSTER}",
            description = "etcd client URLs, comma-separated (default: $FLAGMAN_CLUSTER), e.g. http://127.0.0.1:2379")
    String cluster;

    @Option(names = "--cluster-prefix", paramLabel = "P", defaultValue = ClusterSettings.DEFAULT_PREFIX,
            description = "The fleet's key prefix in etcd (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--as", paramLabel = "NAME", defaultValue = "${sys:user.name}",
            description = "Who is acting, for the history (default: the login name).")
    String as;

    /** A store on the given cluster; a usage error when none is given. */
    EtcdStore connect(CommandLine cl) {
        if (cluster == null || cluster.isBlank()) {
            throw new CommandLine.ParameterException(cl,
                    "no etcd given: use --cluster http://HOST:2379[,…] or set FLAGMAN_CLUSTER");
        }
        List<URI> endpoints;
        try {
            endpoints = ClusterSettings.parseEndpoints(cluster);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--cluster " + cluster + ": " + e.getMessage());
        }
        for (URI u : endpoints) {
            if (u.getScheme() == null || u.getHost() == null || u.getPort() < 0) {
                throw new CommandLine.ParameterException(cl, "--cluster " + cluster + ": '" + u
                        + "' is not an etcd URL like http://127.0.0.1:2379");
            }
        }
        if (endpoints.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--cluster: no URL given");
        }
        return EtcdStore.connect(endpoints, prefix);
    }

    String by() {
        return as == null || as.isBlank() ? "cli" : as;
    }
}
