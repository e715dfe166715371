package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The request-header timeout (HAProxy's {@code timeout http-request}): once the first byte of a
 * request arrives, its whole head must follow within the timeout, or the client gets 408 and
 * the connection closes. A slow-loris client holds a connection for that long at most. Between
 * requests the idle timeout applies instead. Sits before the HTTP codec, seeing raw bytes.
 */
final class RequestHeadTimeout extends ChannelInboundHandlerAdapter
{
    private final long timeoutMs;
    private ChannelHandlerContext ctx;
    /** Waiting for the first byte of a request head (not timing). */
    private boolean armed = true;
    private ScheduledFuture<?> timer;

    RequestHeadTimeout(final long timeoutMs)
    {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (armed && msg instanceof ByteBuf bytes && bytes.isReadable())
        {
            armed = false;
            timer = ctx.executor().schedule(this::expired, timeoutMs, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** The head arrived whole: stop timing. */
    void headReceived()
    {
        cancel();
    }

    /** The exchange ended and the connection stays: time the next request's head from its first byte. */
    void awaitNextHead()
    {
        cancel();
        armed = true;
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        cancel();
        ctx.fireChannelInactive();
    }

    private void expired()
    {
        timer = null;
        // Through the whole pipeline: the HTTP encoder is after this handler.
        ctx.channel().writeAndFlush(FrontendHandler.errorResponse(HttpResponseStatus.REQUEST_TIMEOUT, "the request head took too long"))
            .addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel()
    {
        if (timer != null)
        {
            timer.cancel(false);
            timer = null;
        }
    }
}
