package io.flagman.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON stored in etcd: the documented fields, instants as ISO strings, no etcd revision, nulls left out. */
class ClusterJsonTest {

    @Test
    void aPointerIsStoredWithoutItsRevisionAndReadBack() {
        ChannelPointer p = new ChannelPointer("production", 7, 6, new Canary(8, List.of("prod-1")), null,
                Instant.parse("2026-12-02T03:00:00Z"), "ann", 42);
        String json = ClusterJson.write(p);
        assertThat(json).isEqualTo("{\"channel\":\"production\",\"version\":7,\"previous\":6,"
                + "\"canary\":{\"version\":8,\"nodes\":[\"prod-1\"]},\"movedAt\":\"2026-12-02T03:00:00Z\","
                + "\"movedBy\":\"ann\"}");
        ChannelPointer back = ClusterJson.read(json.getBytes(StandardCharsets.UTF_8), ChannelPointer.class);
        assertThat(back).isEqualTo(p.withModRevision(0));
        assertThat(back.versionFor("prod-1")).isEqualTo(8);
        assertThat(back.versionFor("prod-2")).isEqualTo(7);
    }
}
