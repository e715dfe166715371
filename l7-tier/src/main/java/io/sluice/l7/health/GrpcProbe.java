package io.sluice.l7.health;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.NetUtil;
import io.sluice.l7.config.HealthCheck;
import io.sluice.l7.proxy.Transport;
import io.sluice.l7.upstream.BackendTls;

import java.net.InetSocketAddress;

/**
 * The gRPC check: {@code grpc.health.v1.Health/Check} for the whole server (empty service name)
 * over HTTP/2 cleartext with prior knowledge (gRPC servers speak h2c without an upgrade), or
 * over the TLS of an h2 pool, one stream on a fresh connection; passes when the answer is
 * SERVING with grpc-status 0. The connection is made as the pool's own HTTP/2 connections are
 * ({@link Http2CheckConnection}).
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
        new Http2CheckConnection(tls, attempt, timeoutMs(), new GrpcCheckHandler(this, attempt)).addTo(channel, address(), null);
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
}
