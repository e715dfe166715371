package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a backend connection, for as long as the connection lives: it passes the
 * response of the {@link ProxyExchange} the connection is lent to on as it arrives, flushing
 * once per read burst. Between exchanges (pooled, idle) it has none, and anything the server
 * sends then is out of turn: the connection is closed rather than trusted with the next
 * request. One handler for the connection's life, not one per exchange: adding and removing a
 * handler takes the pipeline's lock and allocates its context every time.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter
{
    private ProxyExchange exchange;
    /** When the last exchange gave the connection back: the pool closes it once idle too long. */
    private long idleSinceNanos = System.nanoTime();

    /** The connection is lent to {@code exchange} from now on. */
    void lend(final ProxyExchange exchange)
    {
        this.exchange = exchange;
    }

    /** The exchange is over with the connection: nothing it receives from now on is that exchange's. */
    void takeBack()
    {
        this.exchange = null;
        this.idleSinceNanos = System.nanoTime();
    }

    long idleSinceNanos()
    {
        return idleSinceNanos;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ProxyExchange exchange = this.exchange;
        if (exchange == null)
        {
            ReferenceCountUtil.release(msg);
            ctx.close(); // a response nobody asked for: the connection is out of step
        }
        else if (msg instanceof HttpResponse response)
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
        if (exchange != null)
        {
            exchange.flushToClient();
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (exchange != null)
        {
            exchange.backendWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (exchange != null)
        {
            exchange.backendInactive();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
