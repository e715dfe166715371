package io.sluice.l7.health;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.NetUtil;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.proxy.Transport;

import java.net.InetSocketAddress;

/**
 * The HTTP/1.1 check: {@code GET path} with the server's address as Host and
 * {@code Connection: close}; passes when the status is the expected one and, if a body substring
 * is expected, the first 64 KiB of the body contain it.
 */
final class HttpProbe extends Probe
{
    private final HealthCheck check;
    private final String host;

    HttpProbe(final EventLoop loop, final Transport transport, final InetSocketAddress address, final HealthCheck check)
    {
        super(loop, transport, address, check.timeout().toMillis());
        this.check = check;
        host = NetUtil.toSocketAddressString(address);
    }

    @Override
    void addHandlers(final Channel channel, final CheckAttempt attempt)
    {
        channel.pipeline().addLast(new HttpClientCodec(), new HttpCheckHandler(this, attempt));
    }

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
