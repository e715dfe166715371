package io.sluice.l7.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A backend slow to start on a request body: after each request head it stops reading for
 * {@link #PAUSE_MS} ms, so what the proxy writes to it fills the socket buffers and the proxy's
 * writes complete later, on the backend connection's own events. Then it reads the body, and
 * answers 200 with the number of body bytes it got in {@code x-seen-body-bytes}.
 */
final class SlowStartBackend implements AutoCloseable
{
    private static final long PAUSE_MS = 300;

    private final LoopbackListener listener;

    SlowStartBackend()
    {
        listener = new LoopbackListener((channel) -> channel.pipeline().addLast(new HttpServerCodec(), new CountBody()));
    }

    InetSocketAddress address()
    {
        return listener.address();
    }

    @Override
    public void close()
    {
        listener.close();
    }

    private static final class CountBody extends ChannelInboundHandlerAdapter
    {
        private long bodyBytes;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof HttpRequest)
            {
                bodyBytes = 0;
                ctx.channel().config().setAutoRead(false);
                ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true), PAUSE_MS, TimeUnit.MILLISECONDS);
            }
            if (msg instanceof HttpContent content)
            {
                bodyBytes += content.content().readableBytes();
            }
            if (msg instanceof LastHttpContent)
            {
                final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                response.headers().set("x-seen-body-bytes", bodyBytes);
                HttpUtil.setContentLength(response, 0);
                ctx.writeAndFlush(response);
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
