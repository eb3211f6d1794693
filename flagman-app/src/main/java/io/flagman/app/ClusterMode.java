package io.flagman.app;

import io.flagman.cluster.ClusterSettings;
import io.flagman.control.ApiSettings;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The cluster settings of {@code flagman run}: the command line ({@code --cluster}, {@code --node},
 * {@code --channel}, {@code --cluster-prefix}) over the {@code cluster:} block of {@code dataplaneapi.yml}. A
 * missing or malformed part is a usage error naming the option ({@link Usage}).
 */
final class ClusterMode {

    /** A cluster option given wrongly: the message says which and how. */
    static final class Usage extends Exception {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    private ClusterMode() {}

    /**
     * The cluster settings, or null when this is not cluster mode (no {@code --cluster} and no {@code cluster:}
     * block).
     */
    static ClusterSettings settings(String endpoints, String node, String channel, String prefix,
            ApiSettings.Cluster block) throws Usage {
        if (endpoints == null && block == null) {
            for (String[] o : new String[][] {{"--node", node}, {"--channel", channel}, {"--cluster-prefix", prefix}}) {
                if (o[1] != null) {
                    throw new Usage(o[0] + " needs --cluster URLS (the fleet's etcd, e.g. --cluster"
                            + " http://127.0.0.1:2379)");
                }
            }
            return null;
        }
        List<URI> urls = endpoints != null ? parse(endpoints, "--cluster")
                : parse(String.join(",", block.endpoints()), "cluster.endpoints");
        String n = node != null ? node : block == null ? null : block.node();
        String c = channel != null ? channel : block == null ? null : block.channel();
        String p = prefix != null ? prefix : block == null ? null : block.prefix();
        if (n == null || n.isBlank()) {
            throw new Usage("cluster mode needs this node's name: --node NAME (or cluster.node in the yaml)");
        }
        if (c == null || c.isBlank()) {
            throw new Usage("cluster mode needs the channel this node follows: --channel NAME (e.g. staging or"
                    + " production; or cluster.channel in the yaml)");
        }
        if (p != null && !p.startsWith("/")) {
            throw new Usage("--cluster-prefix " + p + ": a key prefix starts with '/', e.g. /flagman/default");
        }
        for (String name : List.of(n, c)) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new Usage("'" + name + "' is not a node or channel name: letters, digits, '.', '_' and '-'");
            }
        }
        List<String> writable = block == null ? null : block.writableChannels();
        return new ClusterSettings(urls, p, n, c, writable == null ? null : new LinkedHashSet<>(writable), null);
    }

    private static List<URI> parse(String csv, String option) throws Usage {
        List<URI> urls;
        try {
            urls = ClusterSettings.parseEndpoints(csv);
        } catch (IllegalArgumentException e) {
            throw new Usage(option + " " + csv + ": not a list of URLs (" + e.getMessage() + ")");
        }
        if (urls.isEmpty()) {
            throw new Usage(option + " is empty: give the etcd client URLs, e.g. http://127.0.0.1:2379");
        }
        for (URI u : urls) {
            if (!"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
                throw new Usage(option + " " + u + ": expected http://HOST:PORT (etcd's client URL; TLS is not"
                        + " supported yet)");
            }
        }
        return urls;
    }
}
