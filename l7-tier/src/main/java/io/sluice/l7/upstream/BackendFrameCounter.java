package io.sluice.l7.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.logging.LogLevel;
import io.sluice.l7.metrics.BackendStreams;

/**
 * Counts the RST_STREAM and GOAWAY frames of backend connections, each way. Netty's frame
 * logger is the one hook that sees every frame sent and received, including resets the codec
 * sends for streams of its own accord; it logs nothing (its level, TRACE, is never enabled).
 */
final class BackendFrameCounter extends Http2FrameLogger
{
    private final BackendStreams counters;

    BackendFrameCounter(final BackendStreams counters)
    {
        super(LogLevel.TRACE, BackendFrameCounter.class);
        this.counters = counters;
    }

    @Override
    public boolean isEnabled()
    {
        return false;
    }

    @Override
    public void logRstStream(final Direction direction, final ChannelHandlerContext ctx, final int streamId, final long errorCode)
    {
        counters.reset(direction == Direction.INBOUND);
    }

    @Override
    public void logGoAway(final Direction direction, final ChannelHandlerContext ctx, final int lastStreamId,
        final long errorCode, final ByteBuf debugData)
    {
        counters.goAway(direction == Direction.INBOUND);
    }
}
