package io.sluice.l7.health;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

import java.nio.charset.StandardCharsets;

/**
 * Judges one HTTP check's response as it arrives: a wrong status fails at once, a right one
 * passes at once unless a body substring is expected, which is then looked for in the body's
 * first 64 KiB when the body ends or that much has come. The same over HTTP/1.1 and on an HTTP/2
 * stream, whose frames a codec turns into the same messages.
 */
final class HttpCheckHandler extends CheckResponseHandler
{
    private final HttpProbe probe;
    private boolean statusMatched;

    /** @param closedEarly the failure when the connection or stream closes before the answer ended. */
    HttpCheckHandler(final HttpProbe probe, final CheckAttempt attempt, final String closedEarly)
    {
        super(attempt, probe.timeoutMs(), closedEarly);
        this.probe = probe;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        ctx.writeAndFlush(probe.request());
        ctx.fireChannelActive();
    }

    @Override
    protected void judge(final Object message)
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
            append(content.content());
            final boolean last = content instanceof LastHttpContent;
            if (last || bodyLength == Probe.MAX_BODY_BYTES)
            {
                judgeBody(last && !cut);
            }
        }
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
}
