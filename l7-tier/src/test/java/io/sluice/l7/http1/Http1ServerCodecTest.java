package io.sluice.l7.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.proxy.LeakTracking;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The response half: each final response is framed by the method of the request it answers, in
 * request order, as the decoder told the encoder (RFC 9112 6.3); interim responses answer no
 * request; the codec leaves the pipeline for an upgrade.
 */
@ExtendWith(LeakTracking.class)
final class Http1ServerCodecTest
{
    private final Http1ServerCodec codec = new Http1ServerCodec(RequestLimits.DEFAULTS);
    private final EmbeddedChannel channel = new EmbeddedChannel(codec);

    @AfterEach
    void finish()
    {
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    /** Sends requests in, dropping what the decoder makes of them: these tests are about what goes out. */
    private void requests(final String bytes)
    {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes.getBytes(StandardCharsets.ISO_8859_1)));
        Object message;
        while ((message = channel.readInbound()) != null)
        {
            ReferenceCountUtil.release(message);
        }
    }

    private String written(final Object... messages)
    {
        for (final Object message : messages)
        {
            channel.writeOutbound(message);
        }
        final StringBuilder text = new StringBuilder();
        ByteBuf bytes;
        while ((bytes = channel.readOutbound()) != null)
        {
            text.append(bytes.toString(StandardCharsets.ISO_8859_1));
            bytes.release();
        }
        return text.toString();
    }

    private static FullHttpResponse response(final HttpResponseStatus status, final String body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        return response;
    }

    @Test
    void aResponseToHeadHasNoBodyAndTheNextRequestsResponseHasItsOwn()
    {
        requests("HEAD /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(written(response(HttpResponseStatus.OK, "hello"))).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n");
        assertThat(written(response(HttpResponseStatus.OK, "world"))).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nworld");
    }

    @Test
    void aChunkedResponseToHeadKeepsItsFramingFieldButSendsNoChunks()
    {
        requests("HEAD /a HTTP/1.1\r\nHost: a\r\n\r\n");
        final DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);

        final String out = written(head, new DefaultHttpContent(Unpooled.copiedBuffer("data", StandardCharsets.ISO_8859_1)),
            LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(out).isEqualTo("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
    }

    @Test
    void aSuccessfulResponseToConnectHasNoBodyAndNoFramingFields()
    {
        requests("CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\nCONNECT b.test:443 HTTP/1.1\r\nHost: b.test:443\r\n\r\n");
        final FullHttpResponse tunnel = response(HttpResponseStatus.OK, "junk");
        tunnel.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);

        assertThat(written(tunnel)).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
        assertThat(written(response(HttpResponseStatus.NOT_IMPLEMENTED, "no tunnels")))
            .as("a refusal of CONNECT is an ordinary response")
            .isEqualTo("HTTP/1.1 501 Not Implemented\r\ncontent-length: 10\r\n\r\nno tunnels");
    }

    @Test
    void interimResponsesDoNotTakeTheMethodOfTheRequestTheyPrecede()
    {
        requests("HEAD /a HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(written(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE)))
            .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(written(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(103))))
            .isEqualTo("HTTP/1.1 103 Early Hints\r\n\r\n");
        assertThat(written(response(HttpResponseStatus.OK, "hello"))).as("answers the HEAD")
            .isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n");
        assertThat(written(response(HttpResponseStatus.OK, "world"))).as("answers the GET")
            .isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nworld");
    }

    @Test
    void switchingProtocolsAnswersItsRequest()
    {
        requests("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\nHEAD /a HTTP/1.1\r\nHost: a\r\n\r\n");

        written(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));

        assertThat(written(response(HttpResponseStatus.OK, "hello"))).as("the next response answers the HEAD")
            .isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n");
    }

    @Test
    void theRefusalOfABadHeadAnswersItsPlaceholderAndHasItsBody()
    {
        requests("HEAD / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n");

        assertThat(written(response(HttpResponseStatus.BAD_REQUEST, "bad")))
            .isEqualTo("HTTP/1.1 400 Bad Request\r\ncontent-length: 3\r\n\r\nbad");
    }

    @Test
    void aResponseWithNoRequestWaitingHasItsBody()
    {
        assertThat(written(response(HttpResponseStatus.REQUEST_TIMEOUT, "late")))
            .isEqualTo("HTTP/1.1 408 Request Timeout\r\ncontent-length: 4\r\n\r\nlate");
    }

    @Test
    void anUpgradeTakesTheCodecOutOfThePipeline()
    {
        codec.upgradeFrom(channel.pipeline().context(codec));

        assertThat(channel.pipeline().get(Http1ServerCodec.class)).isNull();
    }
}
