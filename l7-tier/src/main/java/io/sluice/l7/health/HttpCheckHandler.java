package io.sluice.l7.health;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Judges one HTTP check's response as it arrives: a wrong status fails at once, a right one
 * passes at once unless a body substring is expected, which is then looked for in the body's
 * first 64 KiB when the body ends or that much has come.
 */
final class HttpCheckHandler extends ChannelInboundHandlerAdapter
{
    private final HttpProbe probe;
    private final CheckAttempt attempt;
    /** Copied out of the buffers (at most 64 KiB), so nothing is held across reads that must be released. */
    private byte[] body = new byte[0];
    private int bodyLength;
    /** More body came than is read. */
    private boolean cut;
    private boolean statusMatched;

    HttpCheckHandler(final HttpProbe probe, final CheckAttempt attempt)
    {
        this.probe = probe;
        this.attempt = attempt;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        ctx.writeAndFlush(probe.request());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        try
        {
            if (!attempt.ended())
            {
                judge(message);
            }
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    private void judge(final Object message)
    {
        if (message instanceof HttpResponse response)
        {
            if (response.decoderResult().isFailure())
            {
                attempt.fail("malformed response: " + response.decoderResult().cause().getMessage());
                return;
            }
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL)
            {
                return; // 100 Continue and the like; the real answer follows
            }
            if (response.status().code() != probe.expectedStatus())
            {
                attempt.fail("status " + response.status().code());
                return;
            }
            statusMatched = true;
            if (probe.expectedBody() == null)
            {
                attempt.pass();
                return;
            }
        }
        if (message instanceof HttpContent content && statusMatched)
        {
            append(content);
            final boolean last = content instanceof LastHttpContent;
            if (last || bodyLength == Probe.MAX_BODY_BYTES)
            {
                judgeBody(last && !cut);
            }
        }
    }

    private void append(final HttpContent content)
    {
        final int length = Math.min(content.content().readableBytes(), Probe.MAX_BODY_BYTES - bodyLength);
        cut |= length < content.content().readableBytes();
        if (bodyLength + length > body.length)
        {
            body = Arrays.copyOf(body, Math.min(Probe.MAX_BODY_BYTES, Math.max(bodyLength + length, body.length * 2)));
        }
        content.content().getBytes(content.content().readerIndex(), body, bodyLength, length);
        bodyLength += length;
    }

    /** @param whole the whole body was read, not only its first 64 KiB. */
    private void judgeBody(final boolean whole)
    {
        if (new String(body, 0, bodyLength, StandardCharsets.UTF_8).contains(probe.expectedBody()))
        {
            attempt.pass();
        }
        else
        {
            attempt.fail("body lacks \"" + probe.expectedBody() + "\"" + (whole ? "" : " in its first 64 KiB"));
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        attempt.fail("connection closed before the response ended");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        attempt.fail(FailureReasons.of(cause, probe.timeoutMs()));
    }
}
