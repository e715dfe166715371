package io.sluice.l7.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;

import java.util.function.Supplier;

/**
 * Each client HTTP/2 stream's pipeline: its frames as HTTP objects (or a WebSocket's bytes,
 * {@link ClientStreamCodec}), the response stamp where the listener has one, and a
 * {@link FrontendHandler} of its own. The multiplexer adds this one handler to every stream's
 * channel; once the stream registers, it puts the stream's handlers in its place with one
 * replace. Netty's ChannelInitializer, which did this before, also added the stream's context
 * to a concurrent set and removed it again by a task: a set insertion, a removal and a task per
 * stream, for a guard against a second registration that a stream's channel never has.
 */
@ChannelHandler.Sharable
final class StreamPipeline extends ChannelHandlerAdapter
{
    private final Supplier<? extends ChannelHandler> frontends;
    private final boolean webSockets;
    private final ChannelHandler responseStamp;

    /**
     * @param frontends a new {@link FrontendHandler} for a stream (or the handler that redirects to https).
     * @param webSockets whether an extended CONNECT for websocket is taken (the listener's {@code websocket_over_h2}).
     * @param responseStamp what each response passes on its way out (a Strict-Transport-Security header), or null.
     */
    StreamPipeline(final Supplier<? extends ChannelHandler> frontends, final boolean webSockets,
        final ChannelHandler responseStamp)
    {
        this.frontends = frontends;
        this.webSockets = webSockets;
        this.responseStamp = responseStamp;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        final ChannelPipeline pipeline = ctx.pipeline();
        pipeline.replace(this, null, new ClientStreamCodec(webSockets));
        if (responseStamp != null)
        {
            pipeline.addLast(responseStamp);
        }
        pipeline.addLast(frontends.get());
    }
}
