package io.sluice.l7.health;

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
import io.sluice.l7.proxy.LoopbackListener;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;


/**
 * A server to be health-checked, on loopback: answers every request with the status and body
 * the test sets (or, silent, accepts and never answers), counts the answers by status, and
 * keeps the last request's target, Host and Connection headers.
 */
final class CheckedHttpServer implements AutoCloseable
{
    volatile int status = 200;
    volatile String body = "ok";
    volatile boolean silent;
    volatile String lastUri;
    volatile String lastHost;
    volatile String lastConnection;
    final AtomicInteger connections = new AtomicInteger();
    private final Map<Integer, AtomicInteger> answered = new ConcurrentHashMap<>();
    private final LoopbackListener listener;

    CheckedHttpServer(final String host)
    {
        listener = new LoopbackListener(host, (channel) ->
        {
            connections.incrementAndGet();
            channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1024), new Answer());
        });
    }

    InetSocketAddress address()
    {
        return listener.address();
    }

    int answered(final int withStatus)
    {
        final AtomicInteger count = answered.get(withStatus);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close()
    {
        listener.close();
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            lastUri = request.uri();
            lastHost = request.headers().get("host");
            lastConnection = request.headers().get("connection");
            if (silent)
            {
                return;
            }
            final int answer = status;
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            HttpUtil.setContentLength(response, response.content().readableBytes());
            answered.computeIfAbsent(answer, (key) -> new AtomicInteger()).incrementAndGet();
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
