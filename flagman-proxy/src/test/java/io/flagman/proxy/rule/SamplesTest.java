package io.flagman.proxy.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void path() {
        assertThat(Samples.path("/a/b?c")).isEqualTo("/a/b");
        assertThat(Samples.path("/a/b")).isEqualTo("/a/b");
        assertThat(Samples.path("http://h:1/a?b")).isEqualTo("/a");
        assertThat(Samples.path("https://h")).isEqualTo("");
        assertThat(Samples.path("http://h?x=/y")).isEqualTo("");
        assertThat(Samples.path("*")).isEqualTo("*");
        assertThat(Samples.path("h:443")).isNull();
        assertThat(Samples.path(null)).isNull();
    }

    @Test
    void urlParam() {
        assertThat(Samples.urlParam("/x?a=1&b=2&a=3", "a", '&')).isEqualTo("1");
        assertThat(Samples.urlParam("/x?ab=1&b=2", "b", '&')).isEqualTo("2");
        assertThat(Samples.urlParam("/x?a&b=", "b", '&')).isEqualTo("");
        assertThat(Samples.urlParam("/x?a=1;b=2", "b", ';')).isEqualTo("2");
        assertThat(Samples.urlParam("/x", "a", '&')).isNull();
        assertThat(Samples.urlParam("/x?z=9", null, '&')).isEqualTo("9");
    }

    @Test
    void headerOccurrences() {
        List<String> lines = List.of("a, b", "c");
        assertThat(Samples.headerValue(lines, -1, true)).isEqualTo("c");
        assertThat(Samples.headerValue(lines, -2, true)).isEqualTo("b");
        assertThat(Samples.headerValue(lines, 2, true)).isEqualTo("b");
        assertThat(Samples.headerValue(lines, 4, true)).isNull();
        assertThat(Samples.headerValue(lines, -1, false)).isEqualTo("c");
        assertThat(Samples.headerValue(lines, 1, false)).isEqualTo("a, b");
        assertThat(Samples.headerCount(lines)).isEqualTo(3);
    }

    @Test
    void ipv6TextIsCompressedLikeInetNtop() {
        assertThat(Samples.addressText(InetAddress.ofLiteral("::1"))).isEqualTo("::1");
        assertThat(Samples.addressText(InetAddress.ofLiteral("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Samples.addressText(InetAddress.ofLiteral("::"))).isEqualTo("::");
        assertThat(Samples.addressText(InetAddress.ofLiteral("fe80::1:2"))).isEqualTo("fe80::1:2");
        assertThat(Samples.ipv6Text(InetAddress.ofLiteral("::ffff:1.2.3.4").getAddress().length == 4
                ? new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4}
                : InetAddress.ofLiteral("::ffff:1.2.3.4").getAddress())).isEqualTo("::ffff:1.2.3.4");
    }
}
