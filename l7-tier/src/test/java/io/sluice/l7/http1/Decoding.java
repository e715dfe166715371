package io.sluice.l7.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.http.RequestRefusedException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw bytes through {@link Http1ServerCodec} on an {@link EmbeddedChannel}, in pieces as a test
 * chooses, and what came out as text: each request's line, header fields in order, body and
 * trailers, and a refusal with its reason and whether it failed the head or the body. Checks on
 * the way that the messages come in the order Netty's decoder gives them, and releases them all.
 */
final class Decoding
{
    private Decoding()
    {
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The input whole, byte by byte, and in {@code randomSplits} random splits; each must give the same text, which is returned. */
    static String everyWay(final RequestLimits limits, final byte[] input, final int randomSplits)
    {
        final String whole = decode(limits, input, new int[0], true);
        final int[] everyByte = new int[Math.max(0, input.length - 1)];
        for (int i = 0; i < everyByte.length; i++)
        {
            everyByte[i] = i + 1;
        }
        assertThat(decode(limits, input, everyByte, false)).as("byte by byte").isEqualTo(whole);
        final Random random = new Random(input.length * 31L + randomSplits);
        for (int split = 0; split < randomSplits; split++)
        {
            final int[] cuts = randomCuts(random, input.length);
            assertThat(decode(limits, input, cuts, split % 2 == 0)).as("split at %s", java.util.Arrays.toString(cuts)).isEqualTo(whole);
        }
        return whole;
    }

    private static int[] randomCuts(final Random random, final int length)
    {
        final List<Integer> cuts = new ArrayList<>();
        int at = 0;
        while (true)
        {
            at += 1 + random.nextInt(random.nextBoolean() ? 4 : Math.max(1, length / 3));
            if (at >= length)
            {
                break;
            }
            cuts.add(at);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The input cut before each index in {@code cuts}, each piece in a buffer of its own (direct, or a slice of a heap array). */
    static String decode(final RequestLimits limits, final byte[] input, final int[] cuts, final boolean direct)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(new Http1ServerCodec(limits));
        final List<Object> messages = new ArrayList<>();
        try
        {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++)
            {
                final int to = i < cuts.length ? cuts[i] : input.length;
                final ByteBuf piece = direct ? Unpooled.directBuffer(to - from).writeBytes(input, from, to - from) :
                    Unpooled.wrappedBuffer(input, from, to - from);
                channel.writeInbound(piece);
                drain(channel, messages);
                from = to;
            }
            final String text = render(messages);
            assertThat(channel.finishAndReleaseAll()).as("nothing left in the channel").isFalse();
            return text;
        }
        finally
        {
            messages.forEach(ReferenceCountUtil::release);
        }
    }

    static void drain(final EmbeddedChannel channel, final List<Object> messages)
    {
        Object message;
        while ((message = channel.readInbound()) != null)
        {
            messages.add(message);
        }
    }

    /** What the messages say, checking their order: request, contents, last content; nothing after a refusal. */
    static String render(final List<Object> messages)
    {
        final StringBuilder text = new StringBuilder();
        boolean inRequest = false;
        boolean refused = false;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (final Object message : messages)
        {
            assertThat(refused).as("a message after a refusal: %s", message).isFalse();
            if (message instanceof HttpRequest request)
            {
                assertThat(inRequest).as("a request before the last one ended").isFalse();
                assertThat(message).isExactlyInstanceOf(DefaultHttpRequest.class);
                if (request.decoderResult().isFailure())
                {
                    assertThat(request.method().name() + " " + request.uri()).isEqualTo("GET /bad-request");
                    text.append("REFUSED ").append(reason(request.decoderResult().cause())).append(" in head\n");
                    refused = true;
                    continue;
                }
                text.append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocolVersion()).append('\n');
                appendFields(text, "", request.headers());
                inRequest = true;
                body.reset();
            }
            else if (message instanceof HttpContent content)
            {
                assertThat(inRequest).as("content outside a request").isTrue();
                final ByteBuf data = content.content();
                final byte[] copy = new byte[data.readableBytes()];
                data.getBytes(data.readerIndex(), copy);
                body.writeBytes(copy);
                if (message instanceof LastHttpContent last)
                {
                    if (body.size() > 0)
                    {
                        text.append("body: ").append(printable(body.toByteArray())).append('\n');
                    }
                    if (last.decoderResult().isFailure())
                    {
                        text.append("REFUSED ").append(reason(last.decoderResult().cause())).append(" in body\n");
                        refused = true;
                    }
                    else
                    {
                        appendFields(text, "trailer ", last.trailingHeaders());
                    }
                    inRequest = false;
                }
                else
                {
                    assertThat(data.readableBytes()).as("an empty content that is not the last").isPositive();
                    assertThat(message.getClass().getSimpleName()).isEqualTo("DefaultHttpContent");
                }
            }
            else
            {
                throw new AssertionError("not an HTTP message: " + message);
            }
        }
        if (inRequest)
        {
            text.append("INCOMPLETE").append(body.size() > 0 ? ", body so far: " + printable(body.toByteArray()) : "").append('\n');
        }
        return text.toString();
    }

    private static void appendFields(final StringBuilder text, final String prefix, final HttpHeaders fields)
    {
        for (final Map.Entry<String, String> field : fields)
        {
            text.append(prefix).append(field.getKey()).append(": ").append(field.getValue()).append('\n');
        }
    }

    private static String reason(final Throwable cause)
    {
        assertThat(cause).isInstanceOf(RequestRefusedException.class);
        assertThat(cause.getMessage()).as("a one-line detail").isNotBlank().doesNotContain("\n", "\r");
        return ((RequestRefusedException)cause).reason().name();
    }

    /** Bytes as text, with CR, LF and other non-printable bytes escaped so a diff shows them. */
    static String printable(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder();
        for (final byte b : bytes)
        {
            final int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\\')
            {
                text.append((char)c);
            }
            else
            {
                text.append(String.format("\\x%02x", c));
            }
        }
        return text.toString();
    }
}
