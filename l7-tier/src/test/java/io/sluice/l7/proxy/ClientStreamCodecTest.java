package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client stream's codec alone, in an {@link EmbeddedChannel}: an extended CONNECT becomes the
 * HTTP/1.1 WebSocket upgrade, the 101 a {@code :status 200}, then DATA frames bytes both ways and
 * END_STREAM an input shutdown; a refusal goes as it is; DATA before the answer resets the stream;
 * another protocol, or WebSockets off, goes on as a CONNECT that names it.
 */
@ExtendWith(LeakTracking.class)
class ClientStreamCodecTest
{
    /** Frames of a child channel carry their stream; the codec takes the id from it. */
    private static final Http2FrameStream STREAM = new Http2FrameStream()
    {
        @Override
        public int id()
        {
            return 1;
        }

        @Override
        public Http2Stream.State state()
        {
            return Http2Stream.State.OPEN;
        }
    };

    private final List<Object> events = new ArrayList<>();

    private EmbeddedChannel stream(final boolean webSockets)
    {
        return new EmbeddedChannel(new ClientStreamCodec(webSockets), new ChannelInboundHandlerAdapter()
        {
            @Override
            public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
            {
                events.add(evt);
            }
        });
    }

    private static DefaultHttp2HeadersFrame extendedConnect(final String protocol)
    {
        final Http2Headers headers = new DefaultHttp2Headers().method("CONNECT").scheme("https").authority("chat.test")
            .path("/chat?room=1");
        headers.set(":protocol", protocol).set("sec-websocket-version", "13").set("sec-websocket-protocol", "chat, superchat");
        return new DefaultHttp2HeadersFrame(headers).stream(STREAM);
    }

    @Test
    void anExtendedConnectGoesOnAsTheWebSocketUpgradeAndThenRelaysBytes()
    {
        final EmbeddedChannel channel = stream(true);
        channel.writeInbound(extendedConnect("websocket"));
        final FullHttpRequest request = channel.readInbound();
        assertThat(request.method().name()).isEqualTo("GET");
        assertThat(request.uri()).isEqualTo("/chat?room=1");
        assertThat(request.content().readableBytes()).isZero();
        assertThat(request.headers().get("host")).isEqualTo("chat.test");
        assertThat(request.headers().get("upgrade")).isEqualTo("websocket");
        assertThat(request.headers().get("connection")).isEqualTo("upgrade");
        assertThat(request.headers().get("sec-websocket-version")).isEqualTo("13");
        assertThat(request.headers().get("sec-websocket-protocol")).isEqualTo("chat, superchat");
        assertThat(request.headers().contains(":protocol")).isFalse();
        final String key = request.headers().get("sec-websocket-key");
        assertThat(key).hasSize(24);
        request.release();

        final HttpResponse accepted = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        accepted.headers().set("upgrade", "websocket").set("connection", "upgrade").set("sec-websocket-protocol", "chat")
            .set("sec-websocket-accept", WebSockets.acceptFor(key));
        channel.writeOutbound(accepted);
        final Http2HeadersFrame answer = channel.readOutbound();
        assertThat(answer.headers().status().toString()).isEqualTo("200");
        assertThat(answer.isEndStream()).isFalse();
        assertThat(answer.headers().get("sec-websocket-protocol").toString()).isEqualTo("chat");
        assertThat(answer.headers().contains("sec-websocket-accept")).as("RFC 8441 5: no key, no accept").isFalse();
        assertThat(answer.headers().contains("upgrade")).isFalse();

        channel.writeInbound(new DefaultHttp2DataFrame(ascii("from the client")).stream(STREAM));
        final ByteBuf toBackend = channel.readInbound();
        assertThat(toBackend.toString(StandardCharsets.US_ASCII)).isEqualTo("from the client");
        toBackend.release();
        channel.writeOutbound(ascii("from the backend"));
        final Http2DataFrame toClient = channel.readOutbound();
        assertThat(toClient.content().toString(StandardCharsets.US_ASCII)).isEqualTo("from the backend");
        assertThat(toClient.isEndStream()).isFalse();
        toClient.release();

        channel.writeInbound(new DefaultHttp2DataFrame(true).stream(STREAM));
        assertThat((Object)channel.readInbound()).as("an empty end carries no bytes").isNull();
        assertThat(events).containsExactly(ChannelInputShutdownEvent.INSTANCE);

        channel.close();
        final Http2DataFrame end = channel.readOutbound();
        assertThat(end.isEndStream()).as("the backend's close is END_STREAM").isTrue();
        end.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /** A stream whose WebSocket handshake went on and waits for its answer. */
    private EmbeddedChannel handshaking()
    {
        final EmbeddedChannel channel = stream(true);
        channel.writeInbound(extendedConnect("websocket"));
        ((FullHttpRequest)channel.readInbound()).release();
        return channel;
    }

    @Test
    void aRefusalGoesToTheClientAsItIs()
    {
        final EmbeddedChannel channel = handshaking();
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN));
        final Http2HeadersFrame answer = channel.readOutbound();
        assertThat(answer.headers().status().toString()).isEqualTo("403");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void dataBeforeTheAnswerResetsTheStream()
    {
        final EmbeddedChannel channel = handshaking();
        channel.writeInbound(new DefaultHttp2DataFrame(ascii("too early")).stream(STREAM));
        final Http2ResetFrame reset = channel.readOutbound();
        assertThat(reset.errorCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /** Another protocol, or a WebSocket where the listener has them off: a CONNECT, refused in words that say which. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "true | connect-udp | extended CONNECT for 'connect-udp' is not supported: only websocket",
        "false | websocket | WebSockets over HTTP/2 are off on this listener (websocket_over_h2: false)"})
    void anExtendedConnectNotTakenGoesOnAsAConnectThatNamesIt(final boolean webSockets, final String protocol,
        final String refusal)
    {
        final EmbeddedChannel channel = stream(webSockets);
        channel.writeInbound(extendedConnect(protocol));
        final HttpRequest request = channel.readInbound();
        assertThat(request.method().name()).isEqualTo("CONNECT");
        assertThat(ClientStreamCodec.unsupportedProtocol(request).getMessage()).isEqualTo(refusal);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private static ByteBuf ascii(final String text)
    {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
