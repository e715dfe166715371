package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;

import java.util.List;

/**
 * The first handler of a client connection: a connection that opens with the HTTP/2 preface
 * (RFC 9113 3.3, prior knowledge) gets the HTTP/2 pipeline, any other keeps the HTTP/1.1 one
 * (the strict parser, and the h2c upgrade handler). It looks at the first 24 bytes only, then
 * leaves the pipeline. Netty's CleartextHttp2ServerUpgradeHandler does the same but takes only
 * Netty's own HTTP/1.1 codec, which sluice does not use.
 */
final class PriorKnowledgeDetector extends ByteToMessageDecoder
{
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ChannelHandler http1;
    private final ChannelHandler upgrade;
    private final ChannelHandler http2;

    /**
     * @param http1   the HTTP/1.1 codec, placed after this handler at once.
     * @param upgrade the h2c upgrade handler, after the codec.
     * @param http2   what replaces both when the preface comes.
     */
    PriorKnowledgeDetector(final ChannelHandler http1, final ChannelHandler upgrade, final ChannelHandler http2)
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
        final int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!io.netty.buffer.ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), length))
        {
            ctx.pipeline().remove(this); // HTTP/1.1: what was read goes on to its codec
        }
        else if (length == PREFACE.readableBytes())
        {
            ctx.pipeline().remove(http1).remove(upgrade);
            ctx.pipeline().addAfter(ctx.name(), null, http2);
            ctx.pipeline().remove(this); // the preface goes on to the HTTP/2 codec, which reads it
        }
    }
}
