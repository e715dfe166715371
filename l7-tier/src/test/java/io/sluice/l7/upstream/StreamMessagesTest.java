package io.sluice.l7.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.sluice.l7.proxy.LeakTracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StreamMessages} alone: what it makes of a backend stream's messages each way, and how it ends a stream. */
@ExtendWith(LeakTracking.class)
class StreamMessagesTest
{
    private final EmbeddedChannel stream = new EmbeddedChannel(new StreamMessages());

    @Test
    void aGrpcTrailersOnlyAnswerBecomesAHeadAndTrailers()
    {
        final FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.EMPTY_BUFFER);
        answer.headers().set("content-type", "application/grpc").set("grpc-status", "5").set("grpc-message", "gone")
            .set("x-http2-stream-id", "3");
        stream.writeInbound(answer);

        final HttpResponse head = stream.readInbound();
        assertThat(head).isNotInstanceOf(LastHttpContent.class);
        assertThat(head.headers().names()).containsExactlyInAnyOrder("content-type", "transfer-encoding");
        final LastHttpContent end = stream.readInbound();
        assertThat(end.trailingHeaders().get("grpc-status")).isEqualTo("5");
        assertThat(end.trailingHeaders().get("grpc-message")).isEqualTo("gone");
        end.release();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void anyOtherWholeAnswerKeepsItsHeadersAndBody()
    {
        final FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
            Unpooled.copiedBuffer("nope", StandardCharsets.US_ASCII));
        answer.headers().set("content-length", "4").set("grpc-status", "not grpc, so a header");
        stream.writeInbound(answer);

        final HttpResponse head = stream.readInbound();
        assertThat(head.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(head.headers().get("grpc-status")).isEqualTo("not grpc, so a header");
        final LastHttpContent end = stream.readInbound();
        assertThat(end.content().toString(StandardCharsets.US_ASCII)).isEqualTo("nope");
        assertThat(end.trailingHeaders().isEmpty()).isTrue();
        end.release();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theStreamIdHeaderOfAHeadIsDropped()
    {
        final HttpResponse answer = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        answer.headers().set("x-http2-stream-id", "5").set("content-type", "application/grpc");
        stream.writeInbound(answer);
        assertThat(((HttpResponse)stream.readInbound()).headers().names()).containsExactly("content-type");
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theRequestTakesTrailers()
    {
        stream.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        final HttpRequest sent = stream.readOutbound();
        assertThat(sent.headers().get("te")).isEqualTo("trailers");
        ((DefaultFullHttpRequest)sent).release();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aStreamClosedAfterTheResponseButBeforeTheRequestsEndIsReset()
    {
        stream.writeOutbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload"));
        stream.readOutbound();
        stream.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
            LastHttpContent.EMPTY_LAST_CONTENT);
        stream.readInbound();
        stream.readInbound();

        stream.close();

        final Http2ResetFrame reset = stream.readOutbound();
        assertThat(reset.errorCode()).isEqualTo(Http2Error.CANCEL.code());
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aStreamWhoseRequestEndedClosesWithoutAReset()
    {
        stream.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        ((DefaultFullHttpRequest)stream.readOutbound()).release();
        stream.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
            LastHttpContent.EMPTY_LAST_CONTENT);
        stream.readInbound();
        stream.readInbound();

        stream.close();

        assertThat((Object)stream.readOutbound()).isNull();
        assertThat(stream.finishAndReleaseAll()).isFalse();
    }
}
