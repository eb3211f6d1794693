package io.flagman.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The client side's HTTP/1 codec: Netty's request decoder and response encoder, as {@code HttpServerCodec}
 * pairs them (responses to {@code HEAD} have no body), plus what Netty leaves to the application: a request head
 * with obs-fold is a decoder failure (400) instead of being unfolded. Everything Netty already refuses (bare LF,
 * bad chunk lines, CL+TE, duplicate Content-Length) stays Netty's. After a refused head the rest of the
 * connection's input is discarded: the handler answers and closes. One per connection, on its event loop.
 */
final class StrictServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {
    /** Methods of the requests decoded and not answered yet, oldest first (bounded by one read: see the handler). */
    private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>(4);
    /** Bytes the decoder consumed since the last {@link #takeReceived}: what the client sent (HAProxy's {@code bin}). */
    private long received;

    StrictServerCodec(HttpDecoderConfig config) {
        init(new Decoder(config), new Encoder());
    }

    /**
     * The bytes received from the client since the last call, heads, bodies and chunk framing included. Taken when
     * an exchange ends; with pipelining, bytes already decoded for the next request are counted with this one.
     */
    long takeReceived() {
        long n = received;
        received = 0;
        return n;
    }

    private final class Decoder extends HttpRequestDecoder {
        private final ObsFold fold = new ObsFold();
        private boolean discard;

        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected HttpMessage createMessage(String[] initialLine) throws Exception {
            fold.headStarts();
            return super.createMessage(initialLine);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discard) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            int from = buffer.readerIndex();
            int first = out.size();
            super.decode(ctx, buffer, out);
            received += buffer.readerIndex() - from;
            if (fold.folded(buffer, from, out, first)) {
                discard = true;
                buffer.skipBytes(buffer.readableBytes());
                HttpMessage head = ObsFold.headIn(out, first);
                ObsFold.refuse(head != null ? head : createInvalidMessage(), out, first);
            }
            for (int i = first; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest r) {
                    unanswered.add(r.method());
                }
            }
        }
    }

    private final class Encoder extends HttpResponseEncoder {
        private HttpMethod method;

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg);
            }
            method = unanswered.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method)
                    && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }
}
