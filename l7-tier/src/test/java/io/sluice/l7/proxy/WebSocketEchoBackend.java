package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WebSocket server for the proxy's tests (Netty's handshaker and frame codecs), on loopback:
 * every path but {@code /forbidden} (403) takes the handshake, offering the subprotocol
 * {@code chat}. Text, binary and continuation frames are echoed unchanged; the text
 * {@code close} makes it close (a Close frame 1000 "bye", then the connection). After the
 * handshake of {@code /flood} it sends binary frames of {@link #FLOOD_FRAME_BYTES} as fast as its
 * connection takes them (up to {@link #FLOOD_LIMIT_BYTES}), counting the bytes the kernel took.
 * It keeps each handshake's headers and counts its connections open.
 */
final class WebSocketEchoBackend implements AutoCloseable
{
    static final int FLOOD_FRAME_BYTES = 64 * 1024;
    static final long FLOOD_LIMIT_BYTES = 256L * 1024 * 1024;
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /** The handshake requests' headers, in order. */
    final List<HttpHeaders> handshakes = new CopyOnWriteArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    /** Bytes of flood frames written to the kernel. */
    final AtomicLong flooded = new AtomicLong();
    private final LoopbackListener listener;

    WebSocketEchoBackend()
    {
        final WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder().websocketPath("/")
            .checkStartsWith(true).subprotocols("chat").maxFramePayloadLength(MAX_FRAME_BYTES).build();
        listener = new LoopbackListener((channel) -> channel.pipeline().addLast(new Connections(), new HttpServerCodec(),
            new HttpObjectAggregator(65536), new Forbidden(), new WebSocketServerProtocolHandler(config), new Echo()));
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

    private final class Connections extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            open.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            open.decrementAndGet();
            ctx.fireChannelInactive();
        }
    }

    private static final class Forbidden extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof FullHttpRequest request && request.uri().startsWith("/forbidden"))
            {
                request.release();
                final DefaultFullHttpResponse response =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN);
                HttpUtil.setContentLength(response, 0);
                ctx.writeAndFlush(response);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    private final class Echo extends SimpleChannelInboundHandler<WebSocketFrame>
    {
        private boolean flooding;

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake)
            {
                handshakes.add(handshake.requestHeaders());
                flooding = handshake.requestUri().startsWith("/flood");
                flood(ctx);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final WebSocketFrame frame)
        {
            if (frame instanceof TextWebSocketFrame text && "close".equals(text.text()))
            {
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "bye")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.writeAndFlush(frame.retain());
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx)
        {
            flood(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void flood(final ChannelHandlerContext ctx)
        {
            long queued = 0;
            while (flooding && ctx.channel().isWritable() && flooded.get() + queued < FLOOD_LIMIT_BYTES)
            {
                final ByteBuf payload = ctx.alloc().buffer(FLOOD_FRAME_BYTES).writeZero(FLOOD_FRAME_BYTES);
                ctx.write(new BinaryWebSocketFrame(payload)).addListener((written) ->
                {
                    if (written.isSuccess())
                    {
                        flooded.addAndGet(FLOOD_FRAME_BYTES);
                    }
                });
                queued += FLOOD_FRAME_BYTES;
            }
            ctx.flush();
        }
    }
}
