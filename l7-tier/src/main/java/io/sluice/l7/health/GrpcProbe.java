package io.sluice.l7.health;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.upstream.BackendTls;

import java.net.InetSocketAddress;

/**
 * The gRPC check: {@code grpc.health.v1.Health/Check} for the whole server (empty service name)
 * over HTTP/2 cleartext with prior knowledge (gRPC servers speak h2c without an upgrade), or
 * over the TLS of an h2 pool, one stream on a fresh connection; passes when the answer is
 * SERVING with grpc-status 0.
 */
final class GrpcProbe extends Probe
{
    private static final byte[] WHOLE_SERVER_REQUEST = GrpcHealthMessages.request("");

    private final String authority;
    /** An h2 pool's TLS, or null for h2c. */
    private final BackendTls tls;

    GrpcProbe(final EventLoop loop, final Transport transport, final InetSocketAddress address, final HealthCheck check,
        final BackendTls tls)
    {
        super(loop, transport, address, check.timeout().toMillis());
        authority = NetUtil.toSocketAddressString(address);
        this.tls = tls;
    }

    @Override
    void addHandlers(final Channel channel, final CheckAttempt attempt)
    {
        if (tls != null)
        {
            channel.pipeline().addLast(tls.handler(channel, address())); // the stream's frames wait for its handshake
        }
        channel.pipeline().addLast(
            Http2FrameCodecBuilder.forClient().initialSettings(Http2Settings.defaultSettings().pushEnabled(false)).build(),
            new Http2MultiplexHandler(RefusedPush.INSTANCE),
            new Connection(attempt));
    }

    Http2Headers requestHeaders()
    {
        return new DefaultHttp2Headers()
            .method("POST")
            .scheme(tls == null ? "http" : "https")
            .path(GrpcHealthMessages.PATH)
            .authority(authority)
            .set("content-type", "application/grpc")
            .set("te", "trailers")
            .set("grpc-timeout", timeoutMs() + "m")
            .set("user-agent", "sluice-health-check");
    }

    byte[] request()
    {
        return WHOLE_SERVER_REQUEST;
    }

    /** The connection under the stream: opens the check's stream once connected, and fails the check if it breaks. */
    private final class Connection extends ChannelInboundHandlerAdapter
    {
        private final CheckAttempt attempt;

        Connection(final CheckAttempt attempt)
        {
            this.attempt = attempt;
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            new Http2StreamChannelBootstrap(ctx.channel()).handler(new GrpcCheckHandler(GrpcProbe.this, attempt)).open()
                .addListener((future) ->
                {
                    if (!future.isSuccess())
                    {
                        attempt.fail(FailureReasons.of(future.cause(), timeoutMs()));
                    }
                });
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object message)
        {
            ReferenceCountUtil.release(message); // connection-level frames (GOAWAY, settings acks): nothing to judge
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            attempt.fail("connection closed before the response ended");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            attempt.fail(FailureReasons.of(cause, timeoutMs()));
        }
    }

    /** Push is disabled in our settings; a server pushing anyway gets its stream closed. */
    @ChannelHandler.Sharable
    private static final class RefusedPush extends ChannelInboundHandlerAdapter
    {
        static final RefusedPush INSTANCE = new RefusedPush();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object message)
        {
            ReferenceCountUtil.release(message);
            ctx.close();
        }
    }
}
