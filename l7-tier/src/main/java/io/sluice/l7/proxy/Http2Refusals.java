package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.logging.LogLevel;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.metrics.L7Metrics;

/**
 * Counts what the HTTP/2 codec refuses, where every refusal shows: the frames the proxy sends.
 * An RST_STREAM with PROTOCOL_ERROR is a malformed request (whether Netty's header validation,
 * its content-length check or sluice's own checks found it; RFC 9113 8.1.1); a GOAWAY with
 * ENHANCE_YOUR_CALM is a flood (rapid reset, empty frames, CONTINUATION), one with any other
 * error a connection broken by its client. Netty's frame logger is the one hook that sees them
 * all, including resets of streams that never got as far as a channel of their own; it logs
 * nothing (its level, TRACE, is never enabled for it).
 */
final class Http2Refusals extends Http2FrameLogger
{
    private final L7Metrics metrics;

    Http2Refusals(final L7Metrics metrics)
    {
        super(LogLevel.TRACE, Http2Refusals.class);
        this.metrics = metrics;
    }

    @Override
    public boolean isEnabled()
    {
        return false;
    }

    @Override
    public void logRstStream(final Direction direction, final ChannelHandlerContext ctx, final int streamId, final long errorCode)
    {
        if (direction == Direction.OUTBOUND && errorCode == Http2Error.PROTOCOL_ERROR.code())
        {
            metrics.requestRefused(RequestRefusal.HTTP2_MALFORMED);
        }
    }

    @Override
    public void logGoAway(final Direction direction, final ChannelHandlerContext ctx, final int lastStreamId, final long errorCode,
        final ByteBuf debugData)
    {
        if (direction != Direction.OUTBOUND || errorCode == Http2Error.NO_ERROR.code())
        {
            return;
        }
        metrics.requestRefused(errorCode == Http2Error.ENHANCE_YOUR_CALM.code() ? RequestRefusal.HTTP2_FLOOD : RequestRefusal.HTTP2_MALFORMED);
    }
}
