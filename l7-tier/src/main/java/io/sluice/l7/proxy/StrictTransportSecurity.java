package io.sluice.l7.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;

/**
 * A TLS listener's {@code hsts}: every response to its clients carries Strict-Transport-Security
 * (RFC 6797), unless the backend set its own. Shared by the listener's connections and streams.
 */
@ChannelHandler.Sharable
final class StrictTransportSecurity extends ChannelOutboundHandlerAdapter
{
    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");

    private final AsciiString value;

    StrictTransportSecurity(final String value)
    {
        this.value = AsciiString.cached(value);
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        if (msg instanceof HttpResponse response && !response.headers().contains(STRICT_TRANSPORT_SECURITY))
        {
            response.headers().set(STRICT_TRANSPORT_SECURITY, value);
        }
        ctx.write(msg, promise);
    }
}
