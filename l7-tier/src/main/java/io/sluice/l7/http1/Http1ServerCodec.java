package io.sluice.l7.http1;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.sluice.l7.config.RequestLimits;

/**
 * A client connection's HTTP/1.1 codec, in place of Netty's {@code HttpServerCodec}: the strict
 * request parser, and the response encoder that frames each response by the method of the
 * request it answers, which the parser tells it of.
 */
public final class Http1ServerCodec extends CombinedChannelDuplexHandler<StrictRequestDecoder, Http1ResponseEncoder>
    implements HttpServerUpgradeHandler.SourceCodec
{
    public Http1ServerCodec(final RequestLimits limits)
    {
        final RequestMethods methods = new RequestMethods();
        init(new StrictRequestDecoder(limits, methods), new Http1ResponseEncoder(methods));
    }

    /** An upgrade (h2c) takes the connection over: both halves go. */
    @Override
    public void upgradeFrom(final ChannelHandlerContext ctx)
    {
        ctx.pipeline().remove(this);
    }
}
