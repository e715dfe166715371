package io.sluice.l7.filter.compress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.sluice.l7.proxy.LoopbackListener;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend on loopback with bodies worth compressing: {@code /doc} a JSON document with its
 * Content-Length, {@code /stream} the same document chunked in small pieces (length unknown),
 * {@code /big} {@link #BIG_BYTES} of hex text chunked, written only while the connection is
 * writable (so it goes at the pace the proxy reads), with the bytes written so far counted.
 */
final class CompressibleBackend implements AutoCloseable
{
    static final byte[] DOCUMENT = document();
    static final long BIG_BYTES = 64L * 1024 * 1024;
    private static final int BIG_CHUNK = 16 * 1024;
    private static final int STREAM_CHUNK = 1000;

    /** Bytes of {@code /big} written to the proxy so far. */
    final AtomicLong bigWritten = new AtomicLong();
    private final LoopbackListener listener;

    CompressibleBackend()
    {
        listener = new LoopbackListener((channel) -> channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
            new Answer()));
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

    private static byte[] document()
    {
        final StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 3000; i++)
        {
            json.append(i == 0 ? "" : ",\n").append("{\"id\":").append(i).append(",\"name\":\"user ").append(i * 7919 % 1000)
                .append("\",\"active\":").append(i % 3 == 0).append('}');
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code index}th chunk of {@code /big}: hex digits of a counter's hash, which gzip shrinks by about half. */
    static ByteBuf bigChunk(final long index)
    {
        final byte[] chunk = new byte[BIG_CHUNK];
        long state = index * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < chunk.length; i++)
        {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            chunk[i] = (byte)"0123456789abcdef".charAt((int)(state & 15));
        }
        return Unpooled.wrappedBuffer(chunk);
    }

    private final class Answer extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        /** The next chunk of {@code /big} to write once the connection is writable again, or -1. */
        private long nextBigChunk = -1;

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
        {
            switch (request.uri())
            {
                case "/doc" ->
                {
                    final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(DOCUMENT));
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").set(HttpHeaderNames.ETAG, "\"doc-1\"");
                    HttpUtil.setContentLength(response, DOCUMENT.length);
                    ctx.writeAndFlush(response);
                }
                case "/stream" ->
                {
                    ctx.write(chunkedHead("application/json"));
                    for (int at = 0; at < DOCUMENT.length; at += STREAM_CHUNK)
                    {
                        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(DOCUMENT, at,
                            Math.min(STREAM_CHUNK, DOCUMENT.length - at))));
                    }
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                case "/big" ->
                {
                    ctx.writeAndFlush(chunkedHead("text/plain"));
                    writeBig(ctx, 0);
                }
                default -> ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND))
                    .addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** Chunks while the connection is writable; the rest when it is again. */
        private void writeBig(final ChannelHandlerContext ctx, final long from)
        {
            long index = from;
            while (ctx.channel().isWritable() && index * BIG_CHUNK < BIG_BYTES)
            {
                ctx.write(new DefaultHttpContent(bigChunk(index++)));
                bigWritten.addAndGet(BIG_CHUNK);
            }
            // Set before the flush: the flush itself may make the connection writable again, and tell at once.
            nextBigChunk = index * BIG_CHUNK < BIG_BYTES ? index : -1;
            if (nextBigChunk < 0)
            {
                ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx)
        {
            if (ctx.channel().isWritable() && nextBigChunk >= 0)
            {
                final long next = nextBigChunk;
                nextBigChunk = -1;
                ctx.executor().execute(() -> writeBig(ctx, next)); // not inside the flush that told us
            }
            ctx.fireChannelWritabilityChanged();
        }

        private static HttpResponse chunkedHead(final String contentType)
        {
            final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            HttpUtil.setTransferEncodingChunked(head, true);
            return head;
        }
    }
}
