package io.sluice.l7.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import javax.net.ssl.SSLHandshakeException;
import java.net.InetSocketAddress;

/**
 * The last handler of an HTTP/2 connection to a backend server, which sets the connection up and
 * says when streams may open on it: in cleartext (h2c, prior knowledge) at once, over TLS (h2)
 * once the handshake verified the server as {@link BackendTls} says and ALPN chose h2; a handshake
 * that failed or chose anything else fails the connection. The proxy's shared connections
 * ({@link Http2Upstream}) and the health checks' one-stream connections are both made this way, so
 * a server passes its checks only if requests reach it the same way.
 */
public abstract class Http2BackendConnection extends ChannelInboundHandlerAdapter
{
    /**
     * Push is off in the settings sent: once the server has them, the codec answers a PUSH_PROMISE
     * as a connection error; a stream pushed before that is closed as soon as it is there.
     */
    private static final ChannelHandler NO_PUSHED_STREAMS = new ChannelInboundHandlerAdapter()
    {
        @Override
        public boolean isSharable()
        {
            return true;
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            ctx.close();
        }
    };

    /** The pool's TLS, or null for h2c. */
    private final BackendTls tls;

    protected Http2BackendConnection(final BackendTls tls)
    {
        this.tls = tls;
    }

    /** The pool's TLS, or null for h2c. */
    public final BackendTls tls()
    {
        return tls;
    }

    /**
     * Sets up a new connection to {@code server}: the TLS handler for h2, the client side's codec,
     * the stream multiplexer, and this handler last.
     *
     * @param frames told of every frame each way (the proxy's counters), or null.
     */
    public final void addTo(final Channel channel, final InetSocketAddress server, final Http2FrameLogger frames)
    {
        if (tls != null)
        {
            channel.pipeline().addLast(tls.handler(channel, server)); // the codec's preface waits for the handshake
        }
        channel.pipeline().addLast(codec(frames), new Http2MultiplexHandler(NO_PUSHED_STREAMS), this);
    }

    /**
     * The client side's codec: no push; streams beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS
     * wait in the encoder for one to end instead of being refused (a server may lower the limit
     * while streams are being opened).
     */
    private static Http2FrameCodec codec(final Http2FrameLogger frames)
    {
        final Http2FrameCodecBuilder builder = Http2FrameCodecBuilder.forClient()
            .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
            .encoderEnforceMaxConcurrentStreams(true);
        if (frames != null)
        {
            builder.frameLogger(frames);
        }
        return builder.build();
    }

    /** Streams may open on the connection now ({@code ctx}'s channel). */
    protected abstract void ready(ChannelHandlerContext ctx);

    /** The connection cannot carry streams: it was not made, its handshake failed, or ALPN chose another protocol. */
    protected abstract void failed(Throwable cause);

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        if (tls == null)
        {
            ready(ctx);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof SslHandshakeCompletionEvent handshake)
        {
            if (!handshake.isSuccess())
            {
                failed(handshake.cause()); // the TLS handler closes the connection
            }
            else if (ApplicationProtocolNames.HTTP_2.equals(ctx.pipeline().get(SslHandler.class).applicationProtocol()))
            {
                ready(ctx);
            }
            else
            {
                failed(new SSLHandshakeException("the server did not choose h2 by ALPN"));
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(event);
    }
}
