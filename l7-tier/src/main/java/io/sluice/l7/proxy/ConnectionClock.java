package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.l7.config.Timeouts;

/**
 * A client connection's timeouts, checked by its event loop's {@link ClockSweeper}:
 * <ul>
 *   <li>idle: no bytes either way for the idle timeout, with no exchange in flight (or, for a
 *       WebSocket or an event stream, for the long "upgraded" idle timeout): closed; an HTTP/2
 *       connection is not idle while one of its streams has an exchange in flight (each stream
 *       times its own: {@link RequestDeadline}, {@link StreamIdleTimeout});</li>
 *   <li>request head (HAProxy's {@code timeout http-request}): from a request's first byte, its
 *       whole head within the timeout, or 408 and close; a slow-loris client holds a
 *       connection that long at most;</li>
 *   <li>whole request: from the head to the response's end, or the exchange times out (504,
 *       or a close once the response began).</li>
 * </ul>
 * Sits before the HTTP codec, seeing raw bytes: a read or a flush is activity. Deadlines are
 * fields; nothing is scheduled per request.
 */
final class ConnectionClock extends ChannelDuplexHandler
{
    private static final long NONE = Long.MAX_VALUE;

    private final ClockSweeper sweeper;
    private final long headNanos;
    private final long requestNanos;
    private final long shortIdleNanos;
    private final long longIdleNanos;
    private ChannelHandlerContext ctx;
    /** Where this clock is in its sweeper's list; -1 when not in it. */
    int index = -1;
    private long idleNanos;
    private long lastActivity;
    /** Timing a request head from its first byte: armed while waiting for one. */
    private boolean awaitingHead = true;
    private long headDeadline = NONE;
    private long requestDeadline = NONE;
    private ProxyExchange exchange;
    /** HTTP/2 streams with an exchange in flight: while there is one, the connection is not idle. */
    private int busyStreams;

    ConnectionClock(final ClockSweeper sweeper, final Timeouts timeouts)
    {
        this.sweeper = sweeper;
        this.headNanos = timeouts.requestHeader().toNanos();
        this.requestNanos = timeouts.request().toNanos();
        this.shortIdleNanos = timeouts.idle().toNanos();
        this.longIdleNanos = timeouts.upgradedIdle().toNanos();
        this.idleNanos = shortIdleNanos;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        lastActivity = sweeper.now();
        sweeper.add(this);
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        sweeper.remove(this);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        sweeper.remove(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        lastActivity = sweeper.now();
        if (awaitingHead && msg instanceof ByteBuf bytes && bytes.isReadable())
        {
            awaitingHead = false;
            headDeadline = lastActivity + headNanos;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void flush(final ChannelHandlerContext ctx)
    {
        lastActivity = sweeper.now();
        ctx.flush();
    }

    /** The head arrived whole and its exchange begins: the request timeout runs from now. */
    void exchangeBegan(final ProxyExchange began)
    {
        headDeadline = NONE;
        exchange = began;
        requestDeadline = sweeper.now() + requestNanos;
    }

    /** The exchange ended and the connection stays: the next request's head is timed from its first byte. */
    void exchangeEnded()
    {
        exchange = null;
        requestDeadline = NONE;
        idleNanos = shortIdleNanos;
        awaitingHead = true;
    }

    /** A WebSocket or an event stream: no request timeout, the long idle timeout; for a WebSocket, no more heads. */
    void longLived(final boolean upgraded)
    {
        requestDeadline = NONE;
        idleNanos = longIdleNanos;
        if (upgraded)
        {
            awaitingHead = false;
            headDeadline = NONE;
        }
    }

    /**
     * An HTTP/2 stream of this connection began an exchange ({@code true}), or it ended. Closing
     * the connection for idleness would cut the stream without a word to its client (a backend
     * slow to answer, a silent WebSocket): the stream times itself, and the connection waits.
     */
    void streamBusy(final boolean busy)
    {
        busyStreams += busy ? 1 : -1;
    }

    /** HTTP/2 from here on: its streams time their own requests; only idleness is this clock's. */
    void http2()
    {
        awaitingHead = false;
        headDeadline = NONE;
        exchange = null;
        requestDeadline = NONE;
    }

    void check(final long now)
    {
        if (now >= headDeadline)
        {
            headDeadline = NONE;
            // Through the whole pipeline: the HTTP encoder is after this handler.
            ctx.channel().writeAndFlush(FrontendHandler.errorResponse(HttpResponseStatus.REQUEST_TIMEOUT,
                "the request head took too long")).addListener(ChannelFutureListener.CLOSE);
        }
        else if (now >= requestDeadline)
        {
            requestDeadline = NONE;
            if (exchange != null)
            {
                exchange.timedOut();
            }
        }
        else if (now - lastActivity >= idleNanos && (exchange == null || exchange.longLived()) && busyStreams == 0)
        {
            ctx.close();
        }
    }
}
