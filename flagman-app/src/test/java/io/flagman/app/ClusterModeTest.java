package io.flagman.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagman.cluster.ClusterSettings;
import io.flagman.control.ApiSettings;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cluster settings of {@code flagman run}: command line over the yaml block, usage errors by name. */
class ClusterModeTest {

    static final ApiSettings.Cluster BLOCK = new ApiSettings.Cluster(List.of("http://127.0.0.1:2379"), "/flagman/shop",
            "prod-1", "production", List.of("staging", "canary"));

    @Test
    void notClusterModeWithoutClusterOrBlock() throws Exception {
        assertThat(ClusterMode.settings(null, null, null, null, null)).isNull();
    }

    @Test
    void theCommandLineWinsOverTheBlock() throws Exception {
        ClusterSettings s = ClusterMode.settings("http://127.0.0.1:2379,http://127.0.0.1:22379", null, "staging",
                null, BLOCK);
        assertThat(s.endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"),
                URI.create("http://127.0.0.1:22379"));
        assertThat(s.node()).isEqualTo("prod-1");
        assertThat(s.channel()).isEqualTo("staging");
        assertThat(s.prefix()).isEqualTo("/flagman/shop");
        assertThat(s.writableChannels()).isEqualTo(Set.of("staging", "canary"));

        ClusterSettings plain = ClusterMode.settings("http://127.0.0.1:2379", "n1", "staging", null, null);
        assertThat(plain.prefix()).isEqualTo(ClusterSettings.DEFAULT_PREFIX);
        assertThat(plain.writableChannels()).isEqualTo(Set.of("staging"));
    }

    @Test
    void mistakesAreUsageErrorsThatNameTheOption() {
        assertThatThrownBy(() -> ClusterMode.settings(null, "n1", null, null, null))
                .isInstanceOf(ClusterMode.Usage.class).hasMessageStartingWith("--node needs --cluster URLS");
        assertThatThrownBy(() -> ClusterMode.settings("http://127.0.0.1:2379", null, "staging", null, null))
                .hasMessageContaining("--node NAME");
        assertThatThrownBy(() -> ClusterMode.settings("http://127.0.0.1:2379", "n1", null, null, null))
                .hasMessageContaining("--channel NAME");
        assertThatThrownBy(() -> ClusterMode.settings("https://127.0.0.1:2379", "n1", "staging", null, null))
                .hasMessageContaining("expected http://HOST:PORT");
        assertThatThrownBy(() -> ClusterMode.settings("http://127.0.0.1:2379", "n1", "staging", "flagman", null))
                .hasMessageContaining("starts with '/'");
        assertThatThrownBy(() -> ClusterMode.settings("http://127.0.0.1:2379", "n 1", "staging", null, null))
                .hasMessageContaining("'n 1' is not a node or channel name");
    }
}
