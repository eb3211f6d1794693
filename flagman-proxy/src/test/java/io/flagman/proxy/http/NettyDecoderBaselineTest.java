package io.flagman.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What Netty's own HTTP/1 request decoder (4.2, strict line parsing and RFC 9112 Transfer-Encoding on, as
 * Flagman configures it) refuses by itself, and what it lets through for Flagman's strict edge to refuse
 * ({@link StrictServerCodec}, {@link StrictRequest}). A Netty upgrade that changes a line here changes what the
 * edge must do; docs/dataplane.md "Strictness" says who refuses what.
 */
class NettyDecoderBaselineTest {
    private static final String CHUNKED = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

    @ParameterizedTest(name = "{0}: refused by Netty = {2}")
    @CsvSource(delimiter = '|', value = {
        "chunk size 0x|0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n|true",
        "chunk size sign|+5\\r\\nhello\\r\\n0\\r\\n\\r\\n|true",
        "space before chunk size|' 5\\r\\nhello\\r\\n0\\r\\n\\r\\n'|true",
        "chunk size overflow|ffffffffffffffff1\\r\\nhello\\r\\n0\\r\\n\\r\\n|true",
        "chunk size line bare LF|5\\nhello\\r\\n0\\r\\n\\r\\n|true",
        "chunk data bare LF|5\\r\\nhello\\n0\\r\\n\\r\\n|true",
        "chunk data without CRLF|5\\r\\nhelloXX0\\r\\n\\r\\n|true",
        "trailer section bare LF|0\\r\\n\\n|true",
        "BWS before chunk-ext|'5 ;a=b\\r\\nhello\\r\\n0\\r\\n\\r\\n'|false",
    })
    void chunkLines(String name, String body, boolean refused) {
        assertThat(refused(CHUNKED + unescape(body))).isEqualTo(refused);
    }

    @ParameterizedTest(name = "{0}: refused by Netty = {2}")
    @CsvSource(delimiter = '|', value = {
        "obs-fold (unfolded by Netty)|GET / HTTP/1.1\\r\\nHost: x\\r\\nX-A: a\\r\\n b\\r\\n\\r\\n|false",
        "bare LF in the head|GET / HTTP/1.1\\r\\nHost: x\\nX: y\\r\\n\\r\\n|true",
        "CL and TE|POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n|true",
        "equal duplicate CL|POST / HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 1\\r\\nContent-Length: 1\\r\\n\\r\\na|true",
        "TE chunked twice|POST / HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked, chunked\\r\\n\\r\\n0\\r\\n\\r\\n|true",
        "Host comma list|GET / HTTP/1.1\\r\\nHost: a,b\\r\\n\\r\\n|false",
        "target raw #|GET /a#b HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|false",
        "target without /|GET a HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|false",
        "GET *|GET * HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|false",
        "HTTP/2 preface line|PRI * HTTP/2.0\\r\\n\\r\\n|false",
    })
    void heads(String name, String request, boolean refused) {
        assertThat(refused(unescape(request))).isEqualTo(refused);
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }

    private static boolean refused(String bytes) {
        HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(16384)
                .setMaxChunkSize(65536).setAllowDuplicateContentLengths(false);
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(config));
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        boolean failed = false;
        Object o;
        while ((o = ch.readInbound()) != null) {
            failed |= ((HttpObject) o).decoderResult().isFailure();
            ReferenceCountUtil.release(o);
        }
        ch.finishAndReleaseAll();
        return failed;
    }
}
