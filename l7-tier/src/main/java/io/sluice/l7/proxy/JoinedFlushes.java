package io.sluice.l7.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Below an HTTP/2 connection's codec: the flushes of one pass of the event loop go out as one.
 * Each stream whose response ends flushes its connection, and the responses that end in one pass
 * (the backends' reads the loop handles together) would each be a write of their own: over TLS,
 * a record, an encryption and a send each. The codec still writes each frame when its stream
 * flushes (the stream's state moves on in order: an END_STREAM goes before a reset that follows
 * it), and only the bytes wait here, for the end of the read that made them or, outside a read,
 * for a task that runs after the pass's other events. HAProxy and nginx send a pass's frames in
 * one write likewise. A connection that stops being writable, closes or fails is flushed at once.
 *
 * <p>Netty's FlushConsolidationHandler does the same, but submits a future per batch and ends its
 * read before the read's end has gone up (so the codec's own flush there became a task too).
 */
final class JoinedFlushes extends ChannelDuplexHandler implements Runnable
{
    private ChannelHandlerContext ctx;
    private boolean reading;
    private boolean pending;
    private boolean scheduled;

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    /** The codec flushes at the end of its read, after its streams did: all of it goes once, here. */
    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        ctx.fireChannelReadComplete();
        reading = false;
        flushPending();
    }

    @Override
    public void flush(final ChannelHandlerContext ctx)
    {
        pending = true;
        if (!reading && !scheduled)
        {
            scheduled = true;
            ctx.channel().eventLoop().execute(this);
        }
    }

    /** The pass's other events are done: what they wrote goes. */
    @Override
    public void run()
    {
        scheduled = false;
        flushPending();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (!ctx.channel().isWritable())
        {
            flushPending(); // what waits here is memory held: out with it
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        flushPending();
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void close(final ChannelHandlerContext ctx, final ChannelPromise promise)
    {
        flushPending(); // a GOAWAY, the last frames of a stream: before the close
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        flushPending();
    }

    private void flushPending()
    {
        if (pending)
        {
            pending = false;
            ctx.flush();
        }
    }
}
