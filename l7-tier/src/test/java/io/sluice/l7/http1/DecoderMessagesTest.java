package io.sluice.l7.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.http.RequestRefusedException;
import io.sluice.l7.proxy.LeakTracking;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The messages themselves, which the table test reads only as text: their types and order as
 * Netty's decoder gives them, body slices that are not copies, chunk data streamed with each
 * chunk's end held back, limits that refuse before the rest of a line arrives, and nothing
 * handed on after a refusal or when the connection closes mid-request.
 */
@ExtendWith(LeakTracking.class)
final class DecoderMessagesTest
{
    private static final String CHUNKED_HEAD = "POST /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    private final EmbeddedChannel channel = new EmbeddedChannel(new Http1ServerCodec(RequestLimits.DEFAULTS));
    private final List<Object> messages = new ArrayList<>();

    @AfterEach
    void release()
    {
        messages.forEach(ReferenceCountUtil::release);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private List<Object> feed(final String text)
    {
        return feed(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Writes the bytes and returns what came out of them (kept, to be released after the test). */
    private List<Object> feed(final ByteBuf bytes)
    {
        channel.writeInbound(bytes);
        final List<Object> out = new ArrayList<>();
        Decoding.drain(channel, out);
        messages.addAll(out);
        return out;
    }

    private static String text(final HttpContent content)
    {
        return content.content().toString(StandardCharsets.ISO_8859_1);
    }

    private static RequestRefusal refusal(final Object message)
    {
        final Throwable cause = message instanceof HttpRequest request ? request.decoderResult().cause() :
            ((HttpContent)message).decoderResult().cause();
        return ((RequestRefusedException)cause).reason();
    }

    private static long contentBytes(final List<Object> out)
    {
        return out.stream().filter(HttpContent.class::isInstance).mapToLong(m -> ((HttpContent)m).content().readableBytes()).sum();
    }

    @Test
    void aRequestWithoutABodyEndsWithTheSharedEmptyLastContent()
    {
        final List<Object> out = feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isExactlyInstanceOf(DefaultHttpRequest.class);
        assertThat(((HttpRequest)out.get(0)).decoderResult().isSuccess()).isTrue();
        assertThat(out.get(1)).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Test
    void aBodyThatArrivedWholeIsOneLastContentSlicedFromTheInputNotCopied()
    {
        final ByteBuf input = Unpooled.wrappedBuffer(
            "POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1));
        final byte[] inputArray = input.array();

        final List<Object> out = feed(input);

        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isExactlyInstanceOf(DefaultLastHttpContent.class);
        final LastHttpContent last = (LastHttpContent)out.get(1);
        assertThat(text(last)).isEqualTo("hello");
        assertThat(last.content().array()).as("the body shares the input's memory").isSameAs(inputArray);
        assertThat(last.trailingHeaders().isEmpty()).isTrue();
    }

    @Test
    void aContentLengthBodyIsHandedOnAsItArrives()
    {
        feed("POST /p HTTP/1.1\r\nContent-Length: 100\r\n\r\n");

        final List<Object> first = feed("0123456789");
        final List<Object> rest = feed("x".repeat(90) + "GET /next HTTP/1.1\r\n\r\n");

        assertThat(first).hasSize(1);
        assertThat(first.get(0)).isExactlyInstanceOf(DefaultHttpContent.class);
        assertThat(text((HttpContent)first.get(0))).isEqualTo("0123456789");
        assertThat(rest.get(0)).isExactlyInstanceOf(DefaultLastHttpContent.class);
        assertThat(text((HttpContent)rest.get(0))).isEqualTo("x".repeat(90));
        assertThat(((HttpRequest)rest.get(1)).uri()).isEqualTo("/next");
    }

    @Test
    void aChunkedBodyWithItsLastChunkInTheSameBytesEndsInOneLastContent()
    {
        final List<Object> out = feed(CHUNKED_HEAD + "5\r\nhello\r\n0\r\n\r\n");

        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isExactlyInstanceOf(DefaultLastHttpContent.class);
        assertThat(text((HttpContent)out.get(1))).isEqualTo("hello");
    }

    @Test
    void trailersComeInTheLastContentAfterTheData()
    {
        final List<Object> out = feed(CHUNKED_HEAD + "5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n");

        assertThat(out).hasSize(3);
        assertThat(out.get(1)).isExactlyInstanceOf(DefaultHttpContent.class);
        assertThat(text((HttpContent)out.get(1))).isEqualTo("hello");
        final LastHttpContent last = (LastHttpContent)out.get(2);
        assertThat(last.content().readableBytes()).isZero();
        assertThat(last.trailingHeaders().get("X-Checksum")).isEqualTo("abc");
    }

    @Test
    void aLargeChunkStreamsButItsLastByteWaitsForTheCrlfAfterIt()
    {
        feed(CHUNKED_HEAD + Integer.toHexString(20_000) + "\r\n");
        long received = 0;
        long handedOn = 0;
        for (int piece = 0; piece < 20; piece++)
        {
            handedOn += contentBytes(feed("d".repeat(1000)));
            received += 1000;
            assertThat(handedOn).as("after %d bytes: never the chunk's last byte", received).isLessThanOrEqualTo(Math.min(received, 19_999))
                .isGreaterThanOrEqualTo(received - StrictRequestDecoder.STREAM_THRESHOLD);
        }
        assertThat(handedOn).as("most of the chunk went on before its end arrived").isGreaterThanOrEqualTo(20_000 - 8192);

        final List<Object> end = feed("\r\n0\r\n\r\n");

        assertThat(handedOn + contentBytes(end)).isEqualTo(20_000);
        assertThat(end.get(end.size() - 1)).isInstanceOf(LastHttpContent.class);
        assertThat(((LastHttpContent)end.get(end.size() - 1)).decoderResult().isSuccess()).isTrue();
    }

    @Test
    void aLargeChunkWithAWrongEndNeverHasItsLastByteHandedOn()
    {
        feed(CHUNKED_HEAD + Integer.toHexString(20_000) + "\r\n");
        final long handedOn = contentBytes(feed("d".repeat(20_000)));

        final List<Object> end = feed("XX\r\n0\r\n\r\n");

        assertThat(handedOn + contentBytes(end)).isLessThan(20_000);
        assertThat(end).hasSize(1);
        assertThat(refusal(end.get(0))).isEqualTo(RequestRefusal.BAD_CHUNK);
    }

    @Test
    void aSmallChunkIsNotHandedOnBeforeItsEnd()
    {
        feed(CHUNKED_HEAD);

        assertThat(feed("5\r\nhello")).isEmpty();
        assertThat(feed("\r")).isEmpty();
        final List<Object> out = feed("\n");

        assertThat(out).hasSize(1);
        assertThat(text((HttpContent)out.get(0))).isEqualTo("hello");
    }

    @Test
    void aLineOverItsLimitIsRefusedBeforeItsEndArrives()
    {
        assertThat(feed("GET /" + "a".repeat(8000))).as("within the limit: waits").isEmpty();

        final List<Object> out = feed("a".repeat(200));

        assertThat(out).hasSize(1);
        assertThat(refusal(out.get(0))).isEqualTo(RequestRefusal.REQUEST_LINE_TOO_LONG);
    }

    @Test
    void aHeaderLineOverItsLimitIsRefusedBeforeItsEndArrives()
    {
        final List<Object> out = feed("GET / HTTP/1.1\r\nX: " + "v".repeat(8190));

        assertThat(out).hasSize(1);
        assertThat(refusal(out.get(0))).isEqualTo(RequestRefusal.HEADER_LINE_TOO_LONG);
    }

    @Test
    void aChunkExtensionOverItsLimitIsRefusedBeforeItsEndArrives()
    {
        feed(CHUNKED_HEAD);

        final List<Object> out = feed("5;" + "e".repeat(1100));

        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isExactlyInstanceOf(DefaultLastHttpContent.class);
        assertThat(((LastHttpContent)out.get(0)).content().readableBytes()).isZero();
        assertThat(refusal(out.get(0))).isEqualTo(RequestRefusal.BAD_CHUNK_EXTENSION);
    }

    @Test
    void aChunkSizeOverflowIsRefusedAtTheDigitThatOverflows()
    {
        feed(CHUNKED_HEAD);

        assertThat(feed("7FFFFFFFFFFFFFF")).isEmpty();
        final List<Object> out = feed("F0");

        assertThat(out).hasSize(1);
        assertThat(refusal(out.get(0))).isEqualTo(RequestRefusal.BAD_CHUNK_SIZE);
    }

    @Test
    void nothingOfTheConnectionIsReadAfterARefusal()
    {
        final List<Object> refused = feed("GET / HTTP/1.1\r\nHost : a\r\n\r\nGET /next HTTP/1.1\r\n\r\n");

        assertThat(refused).hasSize(1);
        assertThat(refusal(refused.get(0))).isEqualTo(RequestRefusal.BAD_HEADER_NAME);
        assertThat(feed("GET /later HTTP/1.1\r\nHost: a\r\n\r\n")).isEmpty();
    }

    @Test
    void aConnectionClosedMidRequestHandsOnNothingMore()
    {
        final List<Object> out = feed("POST /p HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        assertThat(out).hasSize(2);

        assertThat(channel.finish()).as("nothing handed on at the close").isFalse();
    }

    @Test
    void theDecoderWorksAloneWithoutTheEncoder()
    {
        final EmbeddedChannel alone = new EmbeddedChannel(new StrictRequestDecoder(RequestLimits.DEFAULTS));
        alone.writeInbound(Unpooled.wrappedBuffer("HEAD /x HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));

        final HttpRequest request = alone.readInbound();
        assertThat(request.method().name()).isEqualTo("HEAD");
        assertThat(request.uri()).isEqualTo("/x");
        assertThat(alone.<Object>readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(alone.finishAndReleaseAll()).isFalse();
    }
}
