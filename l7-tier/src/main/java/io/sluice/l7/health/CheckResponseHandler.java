package io.sluice.l7.health;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

import java.util.Arrays;

/**
 * What every health check's response handler does alike: judge each message while the attempt
 * is open and release it whatever happens, keep the body's first {@link Probe#MAX_BODY_BYTES}
 * copied out of the buffers (so nothing is held across reads), and fail the attempt when the
 * connection or stream ends early, breaks, or (HTTP/2) is reset by the server. Subclasses send
 * the request and judge the answer.
 */
abstract class CheckResponseHandler extends ChannelInboundHandlerAdapter
{
    static final String CONNECTION_CLOSED = "connection closed before the response ended";
    static final String STREAM_CLOSED = "stream closed before the response ended";

    protected final CheckAttempt attempt;
    private final long timeoutMs;
    private final String closedEarly;
    protected byte[] body = new byte[0];
    protected int bodyLength;
    /** More body came than is kept. */
    protected boolean cut;

    /** @param closedEarly the failure when the connection or stream closes before the answer ended. */
    CheckResponseHandler(final CheckAttempt attempt, final long timeoutMs, final String closedEarly)
    {
        this.attempt = attempt;
        this.timeoutMs = timeoutMs;
        this.closedEarly = closedEarly;
    }

    /** One message of the answer, while the attempt is open; the caller releases it. */
    protected abstract void judge(Object message);

    @Override
    public final void channelRead(final ChannelHandlerContext ctx, final Object message)
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

    /** Copies what fits of {@code content} into {@link #body}. */
    protected final void append(final ByteBuf content)
    {
        final int length = Math.min(content.readableBytes(), Probe.MAX_BODY_BYTES - bodyLength);
        cut |= length < content.readableBytes();
        if (bodyLength + length > body.length)
        {
            body = Arrays.copyOf(body, Math.min(Probe.MAX_BODY_BYTES, Math.max(bodyLength + length, body.length * 2)));
        }
        content.getBytes(content.readerIndex(), body, bodyLength, length);
        bodyLength += length;
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        attempt.fail(closedEarly);
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof Http2ResetFrame reset)
        {
            attempt.fail("stream reset (error " + reset.errorCode() + ")");
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        attempt.fail(FailureReasons.of(cause, timeoutMs));
    }
}
