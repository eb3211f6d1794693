package io.flagman.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The obs-fold check of {@link StrictServerCodec} and {@link StrictClientCodec}, whatever the read boundaries:
 * every message is fed in two reads split at every byte. A fold is found across reads, a body that contains
 * "LF SP" is not mistaken for one, and a refused head is the only object decoded.
 */
class StrictCodecTest {
    private static final HttpDecoderConfig CONFIG = new HttpDecoderConfig();

    @Test
    void requestFoldIsFoundAtEverySplitAndBodiesAreLeftAlone() {
        String folded = "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n";
        String bodyLikeFold = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\na\n b"
                + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n";
        for (int cut = 0; cut <= folded.length(); cut++) {
            List<Seen> out = decode(() -> new StrictServerCodec(CONFIG), folded, cut);
            assertThat(out).as("split at %d", cut).hasSize(1);
            assertThat(out.get(0).cause()).isInstanceOf(ObsFold.FoldedLineException.class);
        }
        for (int cut = 0; cut <= bodyLikeFold.length(); cut++) {
            List<Seen> out = decode(() -> new StrictServerCodec(CONFIG), bodyLikeFold, cut);
            assertThat(out).as("split at %d", cut).allMatch(Seen::ok);
            assertThat(out.stream().filter(Seen::message).count()).isEqualTo(2);
        }
    }

    @Test
    void responseFoldIsFoundAndHeadResponsesHaveNoBody() {
        String folded = "HTTP/1.1 200 OK\r\nX-A: a\r\n\tb\r\nContent-Length: 2\r\n\r\nok";
        for (int cut = 0; cut <= folded.length(); cut++) {
            EmbeddedChannel ch = new EmbeddedChannel(new StrictClientCodec(CONFIG));
            ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
            ch.releaseOutbound();
            List<Seen> out = feed(ch, folded, cut);
            assertThat(out).as("split at %d", cut).hasSize(1);
            assertThat(out.get(0).cause()).isInstanceOf(ObsFold.FoldedLineException.class);
        }
        EmbeddedChannel ch = new EmbeddedChannel(new StrictClientCodec(CONFIG));
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/"));
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        ch.releaseOutbound();
        List<Seen> out = feed(ch, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 0);
        assertThat(out).allMatch(Seen::ok);
        assertThat(out.stream().filter(Seen::message).count()).isEqualTo(2);
        assertThat(out.stream().filter(o -> o.contentBytes() > 0).count())
                .isEqualTo(1);
    }

    /** What was decoded, with the buffers already released. */
    record Seen(boolean message, Throwable cause, int contentBytes) {
        boolean ok() {
            return cause == null;
        }
    }

    private static List<Seen> decode(Supplier<ChannelHandler> codec, String bytes, int cut) {
        return feed(new EmbeddedChannel(codec.get()), bytes, cut);
    }

    private static List<Seen> feed(EmbeddedChannel ch, String bytes, int cut) {
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        List<Seen> out = new ArrayList<>();
        ch.writeInbound(Unpooled.wrappedBuffer(b, 0, cut));
        ch.writeInbound(Unpooled.wrappedBuffer(b, cut, b.length - cut));
        Object o;
        while ((o = ch.readInbound()) != null) {
            HttpObject h = (HttpObject) o;
            out.add(new Seen(h instanceof HttpMessage, h.decoderResult().cause(),
                    h instanceof HttpContent c ? c.content().readableBytes() : 0));
            ReferenceCountUtil.release(o);
        }
        ch.finishAndReleaseAll();
        return out;
    }
}
