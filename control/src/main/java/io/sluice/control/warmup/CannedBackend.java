package io.sluice.control.warmup;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.sluice.l7.proxy.Transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The warm-up's backend server, in the proxy's own process: on 127.0.0.1, an ephemeral port,
 * one event loop of the proxy's transport, answering every request head with the same 64-byte
 * 200 response, as the bench's nginx backends do. Every {@link #REQUESTS_PER_CONNECTION}th
 * answer says {@code Connection: close} and closes, as a server's keep-alive limit does, so the
 * proxy's backend connections also end and are made again while it warms up.
 *
 * <p>It reads bytes, not HTTP: the proxy sends it GETs without a body, so the end of a head
 * (CR LF CR LF) is the end of a request. Netty's HTTP codec is left out on purpose: the proxy's
 * own code would then share profiles with a server it never runs in production.
 */
final class CannedBackend implements AutoCloseable
{
    static final int REQUESTS_PER_CONNECTION = 500;

    private static final String BODY = "warm-up: sixty-four bytes of a small static response, padded...\n";
    private static final ByteBuf ANSWER = canned("");
    private static final ByteBuf LAST_ANSWER = canned("Connection: close\r\n");

    private final EventLoopGroup loop;
    private final Channel server;

    CannedBackend(final Transport transport)
    {
        loop = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        try
        {
            server = new ServerBootstrap()
                .group(loop)
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>()
                {
                    @Override
                    protected void initChannel(final Channel channel)
                    {
                        channel.pipeline().addLast(new Responder());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
        }
        catch (final RuntimeException ex)
        {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw ex;
        }
    }

    InetSocketAddress address()
    {
        return (InetSocketAddress)server.localAddress();
    }

    @Override
    public void close()
    {
        server.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ByteBuf canned(final String extraHeader)
    {
        final byte[] bytes = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + BODY.length() + "\r\n" +
            extraHeader + "\r\n" + BODY).getBytes(StandardCharsets.US_ASCII);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).asReadOnly();
    }

    /** One connection: counts request heads across reads and answers each. */
    private static final class Responder extends ChannelInboundHandlerAdapter
    {
        private static final byte[] HEAD_END = { '\r', '\n', '\r', '\n' };

        /** How many bytes of {@link #HEAD_END} the bytes read so far end with. */
        private int matched;
        private int answered;
        /** The last answer is written: what comes after it on this connection goes unanswered. */
        private boolean closing;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf bytes = (ByteBuf)msg;
            try
            {
                for (int i = bytes.readerIndex(); i < bytes.writerIndex() && !closing; i++)
                {
                    final byte b = bytes.getByte(i);
                    matched = b == HEAD_END[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
                    if (matched == HEAD_END.length)
                    {
                        matched = 0;
                        answer(ctx);
                    }
                }
            }
            finally
            {
                bytes.release();
            }
        }

        @Override
        public void channelReadComplete(final ChannelHandlerContext ctx)
        {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close(); // the proxy closed first (a reset): nothing to answer
        }

        private void answer(final ChannelHandlerContext ctx)
        {
            if (++answered == REQUESTS_PER_CONNECTION)
            {
                closing = true;
                ctx.writeAndFlush(LAST_ANSWER.duplicate()).addListener(ChannelFutureListener.CLOSE);
            }
            else
            {
                ctx.write(ANSWER.duplicate(), ctx.voidPromise());
            }
        }
    }
}
