package io.sluice.l7.proxy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The differential suite's own parser, on bytes whose framing is known: if it framed wrongly,
 * the suite would see smuggling where there is none, or miss it. No buffers, no proxy: plain
 * bytes in, requests out.
 */
class LenientHttp1Test
{
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: probe.test\r\n\r\n";

    @Test
    void framesAContentLengthBodyAndWhatFollowsAsTheNextRequest()
    {
        final LenientHttp1.Frames frames = LenientHttp1.frames(bytes(
            "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 44\r\n\r\n" + SMUGGLED +
                "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"));

        assertThat(frames.requests()).extracting((frame) -> frame.head().requestLine())
            .containsExactly("POST /a HTTP/1.1", "GET /b HTTP/1.1");
        assertThat(text(frames.requests().getFirst().body())).isEqualTo(SMUGGLED);
        assertThat(frames.rest()).isEmpty();
    }

    @Test
    void framesAnUnframedBodyAsTheSmuggledRequestItIs()
    {
        final LenientHttp1.Frames frames = LenientHttp1.frames(
            bytes("POST /a HTTP/1.1\r\nHost: h\r\n\r\n" + SMUGGLED));

        assertThat(frames.requests()).extracting((frame) -> frame.head().requestLine()).containsExactly("POST /a HTTP/1.1",
            "GET /smuggled HTTP/1.1");
    }

    @Test
    void deChunksABodyWithExtensionsAndKeepsItsTrailers()
    {
        final LenientHttp1.Frame frame = LenientHttp1.frame(bytes(
            "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n" +
                "5;x=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n"), 0);

        assertThat(frame.complete()).isTrue();
        assertThat(frame.chunked()).as("chunked wins over Content-Length").isTrue();
        assertThat(text(frame.body())).isEqualTo("hello world");
        assertThat(frame.trailers()).containsExactly(new LenientHttp1.Field("X-T", "1"));
    }

    @Test
    void readsLinesEndedByLfAloneAsALenientServerDoes()
    {
        final LenientHttp1.Frame frame = LenientHttp1.frame(bytes("POST /a HTTP/1.1\nTransfer-Encoding: chunked\n\n5\nhello\n0\n\n"), 0);

        assertThat(frame.complete()).isTrue();
        assertThat(text(frame.body())).isEqualTo("hello");
    }

    @Test
    void aChunkedBodyCutShortIsIncompleteWithWhatArrived()
    {
        final LenientHttp1.Frame frame = LenientHttp1.frame(
            bytes("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nab"), 0);

        assertThat(frame.complete()).isFalse();
        assertThat(frame.headEnd()).isPositive();
        assertThat(text(frame.body())).isEqualTo("helloab");
    }

    @Test
    void aChunkSizeWithoutHexDigitsNeverCompletes()
    {
        final byte[] bytes = bytes("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n0\r\n\r\n");
        final LenientHttp1.Frames frames = LenientHttp1.frames(bytes);

        assertThat(frames.requests()).isEmpty();
        assertThat(frames.rest()).isEqualTo(bytes);
    }

    @Test
    void describesFieldsSortedByNameWithAGeneratedRequestIdByItsForm()
    {
        final String described = LenientHttp1.describe(bytes(
            "GET /a HTTP/1.1\r\nX-B: 2\r\nhost: h\r\nX-A: 1\r\nX-A: 0\r\nx-request-id: 0123456789abcdef0123456789abcdef\r\n\r\n"));

        assertThat(described).isEqualTo("GET /a HTTP/1.1\nhost: h\nx-a: 1\nx-a: 0\nx-b: 2\nx-request-id: <32 hex digits>\n" +
            "body 0 bytes: \n--\n");
        assertThat(LenientHttp1.describe(bytes("GET /a HTTP/1.1\r\nX-Request-Id: given\r\n\r\n")))
            .as("a client's own id is kept as it is").contains("x-request-id: given");
    }

    @Test
    void keepsEveryByteOfAValue()
    {
        final LenientHttp1.Frame frame = LenientHttp1.frame(bytes("GET /a HTTP/1.1\r\nX-A: caf\u00e9\u0000\r\n\r\n"), 0);

        assertThat(frame.head().values("x-a")).containsExactly("caf\u00e9\u0000");
        assertThat(LenientHttp1.escape("caf\u00e9\u0000\r\n")).isEqualTo("caf\\xe9\\x00\\r\\n");
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(final byte[] bytes)
    {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
