package io.flagman.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The control plane's settings, read from the Data Plane API's own yaml ({@code dataplaneapi.yml}) or given
 * directly ({@code flagman run --config haproxy.cfg --api HOST:PORT}).
 *
 * @param host address the API listens on; loopback unless configured
 * @param port TCP port of the API (0 picks a free one)
 * @param userlist the userlist whose users may use the API ({@code controller} by default)
 * @param userlistFile a separate file holding that userlist, or null to read it from the configuration
 * @param yamlUsers users given in the yaml itself ({@code dataplaneapi.user[]}); they win over the userlist
 * @param configFile the managed configuration file (the store)
 * @param transactionDir where open transactions are persisted
 * @param backupsNumber how many old versions are kept as {@code <basename>.<version>} (0 = none)
 * @param backupsDir where backups and the {@code .lkg} copy go; null = the configuration's directory
 * @param maxOpenTransactions in-progress transactions allowed at once (0 = unlimited)
 * @param maxBodySize request body limit in bytes (413 above it)
 * @param notes one line per yaml key that Flagman accepts but does not need, or does not know
 * @param cluster the {@code cluster:} block (this process is a node of a fleet), or null
 */
public record ApiSettings(
        String host,
        int port,
        String userlist,
        Path userlistFile,
        List<YamlUser> yamlUsers,
        Path configFile,
        Path transactionDir,
        int backupsNumber,
        Path backupsDir,
        int maxOpenTransactions,
        int maxBodySize,
        List<String> notes,
        Cluster cluster) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5555;
    public static final String DEFAULT_USERLIST = "controller";
    public static final int DEFAULT_MAX_OPEN_TRANSACTIONS = 20;
    /** 16 MiB: far above any configuration, far below what an aggregating server should buffer. */
    public static final int DEFAULT_MAX_BODY_SIZE = 16 * 1024 * 1024;

    /** A user from {@code dataplaneapi.user[]}: {@code insecure} true means {@code password} is clear text. */
    public record YamlUser(String name, String password, boolean insecure) {}

    /**
     * The {@code cluster:} block of {@code dataplaneapi.yml}: this process is a node of a Flagman fleet
     * (docs/cluster.md). Absent keys are null (empty for the endpoints); the command line's {@code --cluster},
     * {@code --node}, {@code --channel} and {@code --cluster-prefix} win over them.
     *
     * @param endpoints etcd client URLs ({@code endpoints: [http://127.0.0.1:2379]})
     * @param prefix the fleet's key prefix in etcd, or null for the default
     * @param node this node's name
     * @param channel the channel it follows
     * @param writableChannels channels that take direct configuration writes, or null for the default
     */
    public record Cluster(List<String> endpoints, String prefix, String node, String channel,
            List<String> writableChannels) {
        public Cluster {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
            writableChannels = writableChannels == null ? null : List.copyOf(writableChannels);
        }

        /** The keys the block may hold; any other is an error. */
        static final List<String> KEYS = List.of("endpoints", "prefix", "node", "channel", "writable_channels");
    }

    public ApiSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(configFile, "configFile");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        if (userlist == null || userlist.isBlank()) {
            userlist = DEFAULT_USERLIST;
        }
        yamlUsers = List.copyOf(yamlUsers);
        if (transactionDir == null) {
            transactionDir = defaultTransactionDir(configFile);
        }
        if (maxBodySize <= 0) {
            maxBodySize = DEFAULT_MAX_BODY_SIZE;
        }
        notes = List.copyOf(notes);
    }

    /** Settings for {@code --config FILE --api HOST:PORT}: everything else at its default. */
    public static ApiSettings of(Path configFile, String host, int port) {
        return new ApiSettings(host, port, DEFAULT_USERLIST, null, List.of(), configFile, null, 0, null,
                DEFAULT_MAX_OPEN_TRANSACTIONS, DEFAULT_MAX_BODY_SIZE, List.of(), null);
    }

    public ApiSettings withUserlist(String name) {
        return new ApiSettings(host, port, name, userlistFile, yamlUsers, configFile, transactionDir, backupsNumber,
                backupsDir, maxOpenTransactions, maxBodySize, notes, cluster);
    }

    public ApiSettings withTransactionDir(Path dir) {
        return new ApiSettings(host, port, userlist, userlistFile, yamlUsers, configFile, dir, backupsNumber,
                backupsDir, maxOpenTransactions, maxBodySize, notes, cluster);
    }

    public ApiSettings withBackups(int number, Path dir) {
        return new ApiSettings(host, port, userlist, userlistFile, yamlUsers, configFile, transactionDir, number,
                dir, maxOpenTransactions, maxBodySize, notes, cluster);
    }

    public ApiSettings withMaxOpenTransactions(int max) {
        return new ApiSettings(host, port, userlist, userlistFile, yamlUsers, configFile, transactionDir,
                backupsNumber, backupsDir, max, maxBodySize, notes, cluster);
    }

    public ApiSettings withMaxBodySize(int max) {
        return new ApiSettings(host, port, userlist, userlistFile, yamlUsers, configFile, transactionDir,
                backupsNumber, backupsDir, maxOpenTransactions, max, notes, cluster);
    }

    public ApiSettings withAddress(String newHost, int newPort) {
        return new ApiSettings(newHost, newPort, userlist, userlistFile, yamlUsers, configFile, transactionDir,
                backupsNumber, backupsDir, maxOpenTransactions, maxBodySize, notes, cluster);
    }

    public ApiSettings withCluster(Cluster c) {
        return new ApiSettings(host, port, userlist, userlistFile, yamlUsers, configFile, transactionDir,
                backupsNumber, backupsDir, maxOpenTransactions, maxBodySize, notes, c);
    }

    /** {@code <dir>/<basename>.transactions}, next to the configuration file. */
    public static Path defaultTransactionDir(Path configFile) {
        Path abs = configFile.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".transactions");
    }

    /** Keys of the Data Plane API that describe HAProxy's process management, which Flagman does not have. */
    private static final Set<String> NOT_NEEDED = Set.of(
            "haproxy.haproxy_bin", "haproxy.master_runtime", "haproxy.master_worker_mode",
            "haproxy.node_ids_file", "haproxy.pid_file", "haproxy.delayed_start_max_wait",
            "haproxy.delayed_start_tick", "haproxy.reload.reload_delay", "haproxy.reload.reload_cmd",
            "haproxy.reload.restart_cmd", "haproxy.reload.status_cmd", "haproxy.reload.service_name",
            "haproxy.reload.reload_retention", "haproxy.reload.reload_strategy", "haproxy.reload.validate_cmd",
            "haproxy.reload.validate_files_before", "haproxy.reload.validate_files_after",
            "haproxy.preferred_time_suffix", "dataplaneapi.scheme", "dataplaneapi.advertised",
            "dataplaneapi.disable_inotify", "dataplaneapi.resources", "dataplaneapi.transaction.skip_failed_transactions",
            "dataplaneapi.socket_path", "dataplaneapi.debug_socket_path", "dataplaneapi.cleanup_timeout",
            "dataplaneapi.graceful_timeout", "dataplaneapi.max_header_size",
            "dataplaneapi.keep_alive", "dataplaneapi.read_timeout", "dataplaneapi.write_timeout",
            "dataplaneapi.show_system_info", "dataplaneapi.pid_file", "dataplaneapi.uid", "dataplaneapi.gid",
            "dataplaneapi.tls", "dataplaneapi.listen_limit", "dataplaneapi.user_list", "config_version", "name",
            "mode", "status", "log_targets", "log", "service_discovery", "syslog");

    private static final Set<String> USED = Set.of(
            "dataplaneapi.host", "dataplaneapi.port", "dataplaneapi.max_body_size", "dataplaneapi.userlist.userlist",
            "dataplaneapi.userlist.userlist_file", "dataplaneapi.user", "dataplaneapi.transaction.transaction_dir",
            "dataplaneapi.transaction.backups_number", "dataplaneapi.transaction.backups_dir",
            "dataplaneapi.transaction.max_open_transactions", "haproxy.config_file", "cluster");

    /**
     * Reads {@code dataplaneapi.yml}. Relative paths are resolved against the yaml file's directory.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when a value is malformed or {@code haproxy.config_file} is missing
     */
    public static ApiSettings load(Path yamlFile) throws IOException {
        return parse(Files.readString(yamlFile), yamlFile.toAbsolutePath().getParent());
    }

    public static ApiSettings parse(String yaml, Path baseDir) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("dataplaneapi yaml: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new IllegalArgumentException("dataplaneapi yaml is empty: it needs at least haproxy.config_file");
        }
        List<String> notes = new ArrayList<>();
        collectNotes(root, "", notes);
        JsonNode api = root.path("dataplaneapi");
        JsonNode tx = api.path("transaction");
        String configFile = text(root.path("haproxy").path("config_file"));
        if (configFile == null || configFile.isBlank()) {
            throw new IllegalArgumentException("haproxy.config_file is missing: it names the configuration file to"
                    + " manage, e.g. haproxy:\\n  config_file: /etc/flagman/haproxy.cfg");
        }
        String host = text(api.path("host"));
        if (host == null || host.isBlank() || host.equals("localhost")) {
            host = DEFAULT_HOST;
        }
        int port = intValue(api.path("port"), DEFAULT_PORT, "dataplaneapi.port");
        String userlistFile = text(api.path("userlist").path("userlist_file"));
        List<YamlUser> users = new ArrayList<>();
        for (JsonNode u : api.path("user")) {
            String name = text(u.path("name"));
            String password = text(u.path("password"));
            if (name != null && password != null) {
                users.add(new YamlUser(name, password, u.path("insecure").asBoolean(false)));
            }
        }
        String backupsDir = text(tx.path("backups_dir"));
        String txDir = text(tx.path("transaction_dir"));
        Path config = resolve(baseDir, configFile);
        return new ApiSettings(host, port, text(api.path("userlist").path("userlist")),
                userlistFile == null || userlistFile.isBlank() ? null : resolve(baseDir, userlistFile), users, config,
                txDir == null || txDir.isBlank() ? null : resolve(baseDir, txDir),
                intValue(tx.path("backups_number"), 0, "dataplaneapi.transaction.backups_number"),
                backupsDir == null || backupsDir.isBlank() ? null : resolve(baseDir, backupsDir),
                intValue(tx.path("max_open_transactions"), DEFAULT_MAX_OPEN_TRANSACTIONS,
                        "dataplaneapi.transaction.max_open_transactions"),
                size(api.path("max_body_size")), notes, cluster(root.path("cluster")));
    }

    /** The {@code cluster:} block, or null when there is none; a key Flagman does not know is an error. */
    private static Cluster cluster(JsonNode block) {
        if (block.isMissingNode() || block.isNull()) {
            return null;
        }
        if (!block.isObject()) {
            throw new IllegalArgumentException("cluster: expected a block with " + String.join(", ", Cluster.KEYS)
                    + ", got '" + block.asText() + "'");
        }
        List<String> unknown = new ArrayList<>();
        block.fieldNames().forEachRemaining(k -> {
            if (!Cluster.KEYS.contains(k)) {
                unknown.add("cluster." + k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown) + " in the cluster block (Flagman's cluster block takes "
                    + String.join(", ", Cluster.KEYS) + "; see docs/cluster.md)");
        }
        return new Cluster(list(block.path("endpoints"), "cluster.endpoints"), text(block.path("prefix")),
                text(block.path("node")), text(block.path("channel")),
                block.has("writable_channels") ? list(block.path("writable_channels"), "cluster.writable_channels")
                        : null);
    }

    /** A yaml list of strings ({@code [a, b]}); a single string is a list of one (comma-separated allowed). */
    private static List<String> list(JsonNode n, String key) {
        List<String> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (n.isTextual()) {
            for (String part : n.asText().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
            return out;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(key + ": expected a list, got '" + n.asText() + "'");
        }
        for (JsonNode e : n) {
            if (!e.isValueNode() || e.isNull()) {
                throw new IllegalArgumentException(key + ": expected a list of names, got " + e);
            }
            out.add(e.asText().strip());
        }
        return out;
    }

    private static void collectNotes(JsonNode node, String prefix, List<String> notes) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (USED.contains(key)) {
                continue;
            }
            if (NOT_NEEDED.contains(key)) {
                if (!e.getValue().isNull() && !(e.getValue().isTextual() && e.getValue().asText().isEmpty())) {
                    notes.add(key + ": not needed by Flagman (changes are applied live, in-process, with no reload"
                            + " or external validation); ignored");
                }
                continue;
            }
            if (e.getValue().isObject() && (key.equals("dataplaneapi") || key.equals("haproxy")
                    || key.equals("haproxy.reload") || key.equals("dataplaneapi.userlist")
                    || key.equals("dataplaneapi.transaction"))) {
                collectNotes(e.getValue(), key, notes);
                continue;
            }
            notes.add(key + ": unknown to Flagman; ignored");
        }
    }

    private static Path resolve(Path baseDir, String p) {
        Path path = Path.of(p);
        return baseDir == null || path.isAbsolute() ? path : baseDir.resolve(path).normalize();
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static int intValue(JsonNode n, int fallback, String key) {
        if (n.isMissingNode() || n.isNull()) {
            return fallback;
        }
        if (n.isInt()) {
            return n.asInt();
        }
        try {
            return Integer.parseInt(n.asText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + n.asText() + "' is not a number");
        }
    }

    /** {@code 1GiB}, {@code 512MB}, {@code 1048576}; capped to what one aggregated request may hold. */
    static int size(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return DEFAULT_MAX_BODY_SIZE;
        }
        String s = n.asText().trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        String[][] units = {{"gib", "1073741824"}, {"mib", "1048576"}, {"kib", "1024"}, {"gb", "1000000000"},
                {"mb", "1000000"}, {"kb", "1000"}, {"g", "1073741824"}, {"m", "1048576"}, {"k", "1024"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mult = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length()).trim();
                break;
            }
        }
        try {
            long v = Long.parseLong(s) * mult;
            if (v <= 0) {
                return Integer.MAX_VALUE - 1024;
            }
            return (int) Math.min(v, Integer.MAX_VALUE - 1024);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dataplaneapi.max_body_size: '" + n.asText() + "' is not a size");
        }
    }
}
