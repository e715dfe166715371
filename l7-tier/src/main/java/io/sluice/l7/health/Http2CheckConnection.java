package io.sluice.l7.health;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.upstream.BackendTls;
import io.sluice.l7.upstream.Http2BackendConnection;

/**
 * The connection under a check's one HTTP/2 stream, made as the proxy's own backend connections
 * are ({@link Http2BackendConnection}: the pool's TLS and ALPN h2, or h2c): it opens the stream,
 * with the check's handlers, once the connection may carry one, and fails the check when it
 * cannot or breaks.
 */
final class Http2CheckConnection extends Http2BackendConnection
{
    private final CheckAttempt attempt;
    private final long timeoutMs;
    /** The stream's handler (or initializer): it asks, and judges the answer. */
    private final ChannelHandler stream;

    /** @param tls the pool's TLS (h2), or null for h2c. */
    Http2CheckConnection(final BackendTls tls, final CheckAttempt attempt, final long timeoutMs, final ChannelHandler stream)
    {
        super(tls);
        this.attempt = attempt;
        this.timeoutMs = timeoutMs;
        this.stream = stream;
    }

    @Override
    protected void ready(final ChannelHandlerContext ctx)
    {
        new Http2StreamChannelBootstrap(ctx.channel()).handler(stream).open().addListener((future) ->
        {
            if (!future.isSuccess())
            {
                attempt.fail(FailureReasons.of(future.cause(), timeoutMs));
            }
        });
    }

    @Override
    protected void failed(final Throwable cause)
    {
        attempt.fail(FailureReasons.of(cause, timeoutMs));
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        ReferenceCountUtil.release(message); // connection-level frames (GOAWAY, settings acks): nothing to judge
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        attempt.fail(CheckResponseHandler.CONNECTION_CLOSED);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        attempt.fail(FailureReasons.of(cause, timeoutMs));
    }
}
