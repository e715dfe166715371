package io.sluice.l7.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;


/**
 * A backend of long-lived exchanges for the proxy's tests: {@code /ws} is a WebSocket that
 * echoes text frames upper-cased; {@code /events} is a server-sent-events stream of
 * {@link #EVENTS} events, one every {@link #EVENT_INTERVAL_MS} ms, then its end.
 */
final class StreamingBackend implements AutoCloseable
{
    static final int EVENTS = 6;
    static final long EVENT_INTERVAL_MS = 800;

    private final LoopbackListener listener;

    StreamingBackend()
    {
        listener = new LoopbackListener((channel) -> channel.pipeline().addLast(new HttpServerCodec(),
            new HttpObjectAggregator(65536), new WebSocketServerProtocolHandler("/ws"), new Echo(), new Events()));
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

    private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final TextWebSocketFrame frame)
        {
            ctx.writeAndFlush(new TextWebSocketFrame(frame.text().toUpperCase(java.util.Locale.ROOT)));
        }
    }

    private static final class Events extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            final HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
            HttpUtil.setTransferEncodingChunked(response, true);
            ctx.writeAndFlush(response);
            for (int i = 1; i <= EVENTS; i++)
            {
                final int event = i;
                ctx.executor().schedule(() ->
                {
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("data: event " + event + "\n\n", StandardCharsets.UTF_8)));
                    if (event == EVENTS)
                    {
                        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    }
                }, event * EVENT_INTERVAL_MS, TimeUnit.MILLISECONDS);
            }
        }
    }
}
