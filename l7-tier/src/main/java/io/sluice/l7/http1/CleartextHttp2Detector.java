package io.sluice.l7.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;

import java.util.List;

/**
 * Tells a connection that starts with the HTTP/2 connection preface (prior knowledge, RFC 9113
 * 3.3) from an HTTP/1.1 one, and leaves the pipeline for the protocol it found: the HTTP/2
 * handler in place of the HTTP/1.1 codec and upgrade handler, or those two with the bytes read so
 * far. What Netty's {@code CleartextHttp2ServerUpgradeHandler} does, for {@link Http1ServerCodec}:
 * Netty's takes only its own {@code HttpServerCodec}. (It fires no PriorKnowledgeUpgradeEvent,
 * which Netty does not let others make, and which nothing in sluice listens for.)
 */
public final class CleartextHttp2Detector extends ByteToMessageDecoder
{
    private static final ByteBuf PREFACE = Unpooled.unreleasableBuffer(Http2CodecUtil.connectionPrefaceBuf()).asReadOnly();

    private final Http1ServerCodec http1;
    private final HttpServerUpgradeHandler upgrade;
    private final ChannelHandler http2;

    /**
     * @param http1   the connection's HTTP/1.1 codec, added after this handler.
     * @param upgrade the h2c upgrade handler over {@code http1}, added after it.
     * @param http2   what takes a prior-knowledge connection.
     */
    public CleartextHttp2Detector(final Http1ServerCodec http1, final HttpServerUpgradeHandler upgrade, final ChannelHandler http2)
    {
        this.http1 = http1;
        this.upgrade = upgrade;
        this.http2 = http2;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        ctx.pipeline().addAfter(ctx.name(), null, upgrade).addAfter(ctx.name(), null, http1);
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        final int compared = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), compared))
        {
            ctx.pipeline().remove(this); // what was read goes on to the HTTP/1.1 codec
        }
        else if (compared == PREFACE.readableBytes())
        {
            ctx.pipeline().remove(http1).remove(upgrade);
            ctx.pipeline().addAfter(ctx.name(), null, http2);
            ctx.pipeline().remove(this); // the preface goes on to the HTTP/2 handler, which reads it
        }
    }
}
