package io.flagman.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

    /** The seed's dataplaneapi.yml, as the blog post has it. */
    static final String SEED = """
            config_version: 2
            name: 3c66442a41ca
            dataplaneapi:
              host: 0.0.0.0
              port: 5555
              advertised:
                api_address: ""
                api_port: 0
              scheme:
              - http
              userlist:
                userlist: dataplane_users
                userlist_file: ""
            haproxy:
              config_file: /dataplane/haproxy.cfg
              haproxy_bin: /usr/sbin/haproxy
              reload:
                reload_delay: 10
                reload_cmd: sh /dataplane/reload.sh
                restart_cmd: sh /dataplane/reload.sh
                reload_retention: 1
                reload_strategy: custom
                validate_cmd: docker exec haproxy1 /usr/local/sbin/haproxy -c -f /usr/local/etc/haproxy/haproxy.cfg
            """;

    @Test
    void readsTheSeedFileAndNotesWhatFlagmanDoesNotNeed() {
        ApiSettings s = ApiSettings.parse(SEED, Path.of("/etc/flagman"));
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(5555);
        assertThat(s.userlist()).isEqualTo("dataplane_users");
        assertThat(s.userlistFile()).isNull();
        assertThat(s.configFile()).isEqualTo(Path.of("/dataplane/haproxy.cfg"));
        assertThat(s.maxOpenTransactions()).isEqualTo(20);
        assertThat(s.notes()).anyMatch(n -> n.startsWith("haproxy.reload.reload_cmd: not needed"))
                .anyMatch(n -> n.startsWith("haproxy.haproxy_bin: not needed"))
                .anyMatch(n -> n.startsWith("haproxy.reload.validate_cmd: not needed"))
                .noneMatch(n -> n.startsWith("dataplaneapi.port"));
    }

    @Test
    void defaultsToLoopbackAndResolvesRelativePaths() {
        ApiSettings s = ApiSettings.parse("""
                dataplaneapi:
                  transaction:
                    transaction_dir: tx
                    backups_number: 3
                    max_open_transactions: 5
                  max_body_size: 1MiB
                haproxy:
                  config_file: haproxy.cfg
                """, Path.of("/srv/lb"));
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.configFile()).isEqualTo(Path.of("/srv/lb/haproxy.cfg"));
        assertThat(s.transactionDir()).isEqualTo(Path.of("/srv/lb/tx"));
        assertThat(s.backupsNumber()).isEqualTo(3);
        assertThat(s.maxOpenTransactions()).isEqualTo(5);
        assertThat(s.maxBodySize()).isEqualTo(1024 * 1024);
    }

    @Test
    void aMissingConfigFileIsExplained() {
        assertThatThrownBy(() -> ApiSettings.parse("dataplaneapi:\n  port: 1\n", null))
                .hasMessageContaining("haproxy.config_file");
    }

    @Test
    void readsTheClusterBlockAndRefusesKeysItDoesNotKnowByName() {
        ApiSettings s = ApiSettings.parse("""
                haproxy:
                  config_file: haproxy.cfg
                cluster:
                  endpoints: [http://127.0.0.1:2379, http://127.0.0.1:22379]
                  prefix: /flagman/shop
                  node: prod-1
                  channel: production
                  writable_channels: [staging, canary]
                """, Path.of("/etc/flagman"));
        assertThat(s.cluster()).isEqualTo(new ApiSettings.Cluster(
                java.util.List.of("http://127.0.0.1:2379", "http://127.0.0.1:22379"), "/flagman/shop", "prod-1",
                "production", java.util.List.of("staging", "canary")));
        assertThat(s.notes()).noneMatch(n -> n.startsWith("cluster"));

        ApiSettings minimal = ApiSettings.parse("""
                haproxy:
                  config_file: haproxy.cfg
                cluster:
                  endpoints: http://127.0.0.1:2379
                  node: stage-1
                  channel: staging
                """, Path.of("/etc/flagman"));
        assertThat(minimal.cluster().endpoints()).containsExactly("http://127.0.0.1:2379");
        assertThat(minimal.cluster().prefix()).isNull();
        assertThat(minimal.cluster().writableChannels()).isNull();
        assertThat(ApiSettings.parse("haproxy:\n  config_file: h.cfg\n", null).cluster()).isNull();

        assertThatThrownBy(() -> ApiSettings.parse("""
                haproxy:
                  config_file: haproxy.cfg
                cluster:
                  node: a
                  channel: staging
                  cluster_tls_dir: /etc/tls
                  bootstrap_key: xyz
                """, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown keys cluster.cluster_tls_dir, cluster.bootstrap_key in the cluster"
                        + " block");
    }
}
