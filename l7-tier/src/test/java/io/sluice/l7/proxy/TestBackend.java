package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * A backend for the proxy's tests, on loopback: answers every request with what it received
 * (method, URI, the headers a test asks about, the body's length) in response headers, and a
 * body of {@code X-Respond-Bytes} bytes when the request asks for one, after {@code X-Delay-Ms}
 * if it asks for a delay; counts the connections
 * it accepted. {@code /close-mid-response} sends half a response and closes.
 */
public final class TestBackend implements AutoCloseable
{
    public final AtomicInteger connections = new AtomicInteger();
    public final List<FullHttpRequest> seen = new CopyOnWriteArrayList<>();
    private final LoopbackListener listener;
    private final String name;

    private final HttpResponseStatus status;

    public TestBackend(final String name)
    {
        this(name, HttpResponseStatus.OK);
    }

    /** A backend that answers every request with this status (a failing server, say). */
    public TestBackend(final String name, final HttpResponseStatus status)
    {
        this.name = name;
        this.status = status;
        listener = new LoopbackListener((channel) ->
        {
            connections.incrementAndGet();
            channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024 * 1024), new Answer());
        });
    }

    public InetSocketAddress address()
    {
        return listener.address();
    }

    @Override
    public void close()
    {
        listener.close();
        seen.forEach(FullHttpRequest::release);
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            seen.add(request.retainedDuplicate());
            final int size = Integer.parseInt(request.headers().get("x-respond-bytes", "0"));
            final ByteBuf body = Unpooled.buffer(size);
            for (int i = 0; i < size; i++)
            {
                body.writeByte('a' + i % 26);
            }
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            response.headers().set("x-served-by", name)
                .set("x-seen-uri", request.uri())
                .set("x-seen-body-bytes", request.content().readableBytes())
                .set("x-seen-connection", ctx.channel().id().asShortText())
                .set("connection", "keep-alive, x-hop")
                .set("x-hop", "must not reach the client");
            HttpUtil.setContentLength(response, size);
            if (request.uri().equals("/close-mid-response"))
            {
                response.headers().set("content-length", size + 1000);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            final long delayMs = Long.parseLong(request.headers().get("x-delay-ms", "0"));
            if (delayMs > 0)
            {
                ctx.executor().schedule(() -> ctx.writeAndFlush(response), delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            }
            ctx.writeAndFlush(response);
        }
    }

    static String text(final ByteBuf buffer)
    {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
