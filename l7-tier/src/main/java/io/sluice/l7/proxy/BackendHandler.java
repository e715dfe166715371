package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The backend leg of one {@link ProxyExchange}: added to a backend connection for the exchange
 * and removed when the connection goes back to the pool. Passes the response on as it arrives,
 * flushing once per read burst.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter
{
    private final ProxyExchange exchange;

    BackendHandler(final ProxyExchange exchange)
    {
        this.exchange = exchange;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof HttpResponse response)
        {
            exchange.response(response); // the client codec never joins a body to its head
        }
        else if (msg instanceof HttpContent content)
        {
            exchange.responseContent(content);
        }
        else if (msg instanceof ByteBuf bytes)
        {
            exchange.responseBytes(bytes); // upgraded: the codec is gone
        }
        else
        {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        exchange.flushToClient();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        exchange.backendWritabilityChanged(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        exchange.backendInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
