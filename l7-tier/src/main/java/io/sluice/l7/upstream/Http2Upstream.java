package io.sluice.l7.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.metrics.ConnectionSide;
import io.sluice.l7.metrics.L7Metrics;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One HTTP/2 connection to a backend server, and the last handler of its pipeline: it lends
 * streams ({@link #openStream}) while it has room, opens those asked for before it was connected
 * once it is {@link #ready} (after the codec sent the preface; over TLS, once the handshake chose
 * h2), and stops lending on a GOAWAY, closing once its last stream ends. Each stream's close is
 * its listener's event, so a stream costs no listener.
 */
final class Http2Upstream extends Http2BackendConnection implements ChannelFutureListener
{
    private final ChannelHandler streams;
    private final L7Metrics metrics;
    /** Streams asked for before the connection was ready. */
    private final ArrayDeque<StreamOpening> waiting = new ArrayDeque<>();
    private Channel channel;
    private Http2FrameCodec codec;
    private Http2StreamChannelBootstrap bootstrap;
    /** Streams lent to exchanges: being opened, or open. */
    private int lent;
    /** A GOAWAY came, or the connection failed: no new stream goes on it. */
    private boolean draining;
    private long idleSinceNanos = System.nanoTime();

    Http2Upstream(final ChannelHandler streams, final BackendTls tls, final L7Metrics metrics)
    {
        super(tls);
        this.streams = streams;
        this.metrics = metrics;
    }

    void attach(final Channel channel)
    {
        this.channel = channel;
    }

    /**
     * Whether another stream may go on this connection: not draining, and fewer streams lent than
     * the pool's cap and the server's SETTINGS_MAX_CONCURRENT_STREAMS (unknown until its SETTINGS come).
     */
    boolean hasRoom(final int maxStreams)
    {
        if (draining || !channel.isOpen())
        {
            return false;
        }
        final int serverLimit = codec == null ? maxStreams : codec.connection().local().maxActiveStreams();
        return lent < Math.min(maxStreams, serverLimit);
    }

    ChannelFuture openStream()
    {
        lent++;
        final StreamOpening opening = new StreamOpening(this, channel);
        if (bootstrap == null)
        {
            waiting.add(opening);
        }
        else
        {
            bootstrap.open().addListener(opening);
        }
        return opening;
    }

    /** The stream is there and lent: its close gives the slot back ({@link #operationComplete}). */
    void streamOpened(final Channel stream)
    {
        metrics.backendStreams().streamOpened();
        stream.closeFuture().addListener(this);
    }

    /** A stream asked for could not be opened: its slot is free again. */
    void streamNotOpened()
    {
        returned();
    }

    /** A stream of this connection closed. */
    @Override
    public void operationComplete(final ChannelFuture closed)
    {
        metrics.backendStreams().streamClosed();
        returned();
    }

    private void returned()
    {
        lent--;
        if (lent == 0)
        {
            idleSinceNanos = System.nanoTime();
            if (draining)
            {
                channel.close();
            }
        }
    }

    boolean idle()
    {
        return lent == 0 && channel.isActive();
    }

    long idleSinceNanos()
    {
        return idleSinceNanos;
    }

    void close()
    {
        draining = true;
        channel.close();
    }

    /** The connection could not be made, or cannot carry streams: the streams waiting for it fail with its reason. */
    @Override
    protected void failed(final Throwable cause)
    {
        draining = true;
        StreamOpening opening;
        while ((opening = waiting.poll()) != null)
        {
            lent--;
            opening.setFailure(cause);
        }
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        metrics.connectionOpened(ConnectionSide.BACKEND);
        codec = ctx.pipeline().get(Http2FrameCodec.class);
        super.channelActive(ctx);
    }

    @Override
    protected void ready(final ChannelHandlerContext ctx)
    {
        bootstrap = new Http2StreamChannelBootstrap(ctx.channel()).handler(streams);
        StreamOpening opening;
        while ((opening = waiting.poll()) != null)
        {
            bootstrap.open().addListener(opening);
        }
    }

    /**
     * Connection-level frames the multiplexer passes on. On a GOAWAY the codec has already closed
     * the streams the server will not process (above its last stream id), whose exchanges may be
     * retried; those below it finish.
     */
    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof Http2GoAwayFrame)
        {
            draining = true;
            if (lent == 0)
            {
                ctx.close();
            }
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (codec != null)
        {
            metrics.connectionClosed(ConnectionSide.BACKEND);
        }
        failed(new ClosedChannelException());
        ctx.fireChannelInactive();
    }

    /** A connection error the codec has answered (GOAWAY) already, or a broken socket: the connection goes, its streams too. */
    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        draining = true;
        ctx.close();
    }
}
