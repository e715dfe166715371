package io.sluice.l7.health;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.NetUtil;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.upstream.BackendTls;

import java.net.InetSocketAddress;

/**
 * The HTTP check: {@code GET path} with the server's address as Host; passes when the status is
 * the expected one and, if a body substring is expected, the first 64 KiB of the body contain it.
 * It speaks to the server as the pool's requests do: HTTP/1.1 with {@code Connection: close}, or
 * for an HTTP/2 pool one stream on a fresh connection, made as the pool's own are (h2c with prior
 * knowledge, or h2 over the pool's TLS: {@link Http2CheckConnection}), the request and answer
 * turned into the same HTTP objects so that one handler judges both.
 */
final class HttpProbe extends Probe
{
    private final HealthCheck check;
    private final String host;
    private final boolean http2;
    /** An h2 pool's TLS, or null. */
    private final BackendTls tls;

    /**
     * @param http2 whether the pool speaks HTTP/2 (h2c, or h2 with {@code tls}).
     * @param tls   an h2 pool's TLS, or null.
     */
    HttpProbe(final EventLoop loop, final Transport transport, final InetSocketAddress address, final HealthCheck check,
        final boolean http2, final BackendTls tls)
    {
        super(loop, transport, address, check.timeout().toMillis());
        this.check = check;
        this.http2 = http2;
        this.tls = tls;
        host = NetUtil.toSocketAddressString(address);
    }

    @Override
    void addHandlers(final Channel channel, final CheckAttempt attempt)
    {
        if (!http2)
        {
            channel.pipeline().addLast(new HttpClientCodec(),
                new HttpCheckHandler(this, attempt, CheckResponseHandler.CONNECTION_CLOSED));
            return;
        }
        final ChannelInitializer<Channel> streamHandlers = new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel stream)
            {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
                    new HttpCheckHandler(HttpProbe.this, attempt, CheckResponseHandler.STREAM_CLOSED));
            }
        };
        new Http2CheckConnection(tls, attempt, timeoutMs(), streamHandlers).addTo(channel, address(), null);
    }

    /** The request; over HTTP/2 the codec makes Host the :authority and drops Connection, which HTTP/2 has not. */
    FullHttpRequest request()
    {
        final FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, check.path());
        request.headers()
            .set(HttpHeaderNames.HOST, host)
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
            .set(HttpHeaderNames.USER_AGENT, "sluice-health-check")
            .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return request;
    }

    int expectedStatus()
    {
        return check.status();
    }

    /** The substring the body must contain, or null when any body will do. */
    String expectedBody()
    {
        return check.body();
    }
}
