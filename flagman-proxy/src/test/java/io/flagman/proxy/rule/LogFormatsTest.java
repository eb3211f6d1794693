package io.flagman.proxy.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flagman.config.model.LogFormat;
import org.junit.jupiter.api.Test;

class LogFormatsTest {

    private static String render(String format, SampleSource s) {
        return LogFormats.compile(new LogFormat(format)).render(s);
    }

    // Expected values were taken from HAProxy 2.6 answering an lf-string with the same expressions.
    private final TestSample request = TestSample.get("/p/q?a=1&b=2").header("Host", "127.0.0.1:18081")
            .header("x", "a, b").header("x", "c").header("empty", "");

    @Test
    void constantFormatIsReturnedAsIs() {
        CompiledLogFormat f = LogFormats.compile(new LogFormat("plain text"));
        assertThat(f.render(request)).isEqualTo("plain text");
        assertThat(render("100%% sure", request)).isEqualTo("100% sure");
    }

    @Test
    void samplesRenderLikeHaproxy() {
        assertThat(render("a=%[hdr(nope)]|b=%[hdr(empty)]|c=%{+Q}[hdr(nope)]|d=%{+Q}[hdr(x)]|e=%[hdr(x)]", request))
                .isEqualTo("a=|b=|c=|d=\"c\"|e=c");
        assertThat(render("f=%[src]|g=%[dst_port]|h=%[ssl_fc]|t=%[hdr(x,1)]", request))
                .isEqualTo("f=192.0.2.10|g=8080|h=0|t=a");
        assertThat(render("n=%[path]|o=%[query]|p=%[base]|q=%[url_param(a)]|%[method] %[url]", request))
                .isEqualTo("n=/p/q|o=a=1&b=2|p=127.0.0.1:18081/p/q|q=1|GET /p/q?a=1&b=2");
        assertThat(render("%[hdr(host),upper]", request)).isEqualTo("127.0.0.1:18081");
        assertThat(render("%[req.hdr(X),lower]", TestSample.get("/").header("X", "AbC"))).isEqualTo("abc");
        assertThat(render("%[ssl_fc]", request.ssl("sni.example"))).isEqualTo("1");
        assertThat(render("%[ssl_fc_sni]", request.ssl("sni.example"))).isEqualTo("sni.example");
    }

    @Test
    void variables() {
        assertThat(render("i=%ci:%cp|f=%fi:%fp|j=%HP|k=%HQ|l=%HU|m=%HV|%HM", request))
                .isEqualTo("i=192.0.2.10:40000|f=127.0.0.1:8080|j=/p/q|k=?a=1&b=2|l=/p/q?a=1&b=2|m=HTTP/1.1|GET");
        assertThat(render("%ci", request.from("2001:db8::1"))).isEqualTo("2001:db8::1");
        assertThat(render("%ci", request.from("::ffff:10.0.0.1"))).isEqualTo("10.0.0.1");
        assertThat(render("st=%ST", request)).isEqualTo("st=-");
    }

    @Test
    void mistakesAreIllegalArguments() {
        assertThatThrownBy(() -> LogFormats.compile(new LogFormat("%[nope]"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogFormats.compile(new LogFormat("%[src"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogFormats.compile(new LogFormat("%zz"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogFormats.compile(new LogFormat("%[src,json]"))).isInstanceOf(IllegalArgumentException.class);
    }
}
