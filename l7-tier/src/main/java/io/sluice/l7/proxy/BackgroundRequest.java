package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.filter.BackgroundReceiver;
import io.sluice.l7.filter.BodyTransformer;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.ResponseFilter;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A filter's own request to the server its exchange was routed to, with no client waiting for
 * it ({@link FilterContext#background}: a cache refreshing a stale response). It borrows a
 * backend connection as an exchange does and, while it has it, sits in front of the
 * connection's {@link BackendHandler}, so the response stops here: it goes through the route's
 * response filters that come before the one that asked (as a client's response would), then to
 * the receiver, and nowhere else. The connection goes back to the pool when the response ended
 * cleanly and the server keeps it alive; otherwise it closes. Made once per refresh, not per
 * request, so it may allocate and change the pipeline.
 */
final class BackgroundRequest extends ChannelInboundHandlerAdapter implements ChannelFutureListener
{
    private final BackendConnections backends;
    private final RoutedRequest routed;
    private final Channel client;
    private final HttpRequest request;
    private final long timeoutMs;
    private final ResponseFilter[] filters;
    private final FilterContext context;
    private final BackgroundReceiver receiver;
    /** The filters' body transformers, then the receiver's; made when the response head arrives. */
    private BodyTransformer[] transformers;
    private Channel backend;
    private Future<?> timeout;
    /** A 1xx came: its end is not the response's. */
    private boolean informational;
    private boolean keepAlive;
    private boolean ended;

    private BackgroundRequest(final ProxyExchange exchange, final HttpRequest request, final ResponseFilter[] filters,
        final FilterContext context, final BackgroundReceiver receiver)
    {
        this.backends = exchange.backends();
        this.routed = exchange.routed();
        this.client = exchange.clientChannel();
        this.timeoutMs = exchange.requestTimeoutMs();
        this.request = request;
        this.filters = filters;
        this.context = context;
        this.receiver = receiver;
    }

    /** @param filters the route's response filters the response goes through before the receiver, in order. */
    static void send(final ProxyExchange exchange, final HttpRequest request, final ResponseFilter[] filters,
        final FilterContext context, final BackgroundReceiver receiver)
    {
        final BackgroundRequest background = new BackgroundRequest(exchange, request, filters, context, receiver);
        background.backends.acquire(background.routed, background.client).addListener(background);
    }

    /** The backend connection is there, or failed. */
    @Override
    public void operationComplete(final ChannelFuture future)
    {
        if (!future.isSuccess() || !future.channel().isActive())
        {
            ReferenceCountUtil.release(request);
            ended = true;
            receiver.failed(future.isSuccess() ? "the backend connection closed" : "cannot connect to the backend: "
                + future.cause().getMessage());
            return;
        }
        backend = future.channel();
        final ChannelPipeline pipeline = backend.pipeline();
        pipeline.addBefore(pipeline.context(BackendHandler.class).name(), null, this);
        timeout = backend.eventLoop().schedule(() -> abort("the backend did not answer within " + timeoutMs + " ms"), timeoutMs,
            TimeUnit.MILLISECONDS);
        backend.writeAndFlush(request, backend.voidPromise());
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (ended)
        {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response)
        {
            head(response);
            if (!(msg instanceof HttpContent))
            {
                return;
            }
        }
        if (msg instanceof HttpContent content)
        {
            body(content);
            return;
        }
        ReferenceCountUtil.release(msg);
    }

    private void head(final HttpResponse response)
    {
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL)
        {
            informational = true; // 100 Continue and the like: the final response is still to come
            return;
        }
        keepAlive = HttpUtil.isKeepAlive(response);
        ForwardedHeaders.removeHopByHop(response.headers());
        transformers = new BodyTransformer[filters.length + 1];
        for (int i = 0; i < filters.length; i++)
        {
            transformers[i] = filters[i].onResponse(response, context);
        }
        transformers[filters.length] = receiver.onResponse(response);
    }

    private void body(final HttpContent content)
    {
        final boolean last = content instanceof LastHttpContent;
        if (informational || transformers == null)
        {
            content.release();
            informational &= !last;
            return;
        }
        HttpContent passing = content;
        for (final BodyTransformer transformer : transformers)
        {
            if (transformer != null && passing != null)
            {
                passing = transformer.transform(passing);
            }
        }
        ReferenceCountUtil.release(passing); // nobody waits for it
        if (last)
        {
            end(true);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        ctx.fireChannelInactive();
        abort("the backend closed the connection before the response ended");
    }

    /** The response will not end whole: whoever took part of it lets go, or the receiver hears none came. */
    private void abort(final String reason)
    {
        if (ended)
        {
            return;
        }
        if (transformers == null)
        {
            receiver.failed(reason);
        }
        else
        {
            for (final BodyTransformer transformer : transformers)
            {
                if (transformer != null)
                {
                    transformer.abandon();
                }
            }
        }
        end(false);
    }

    private void end(final boolean clean)
    {
        ended = true;
        timeout.cancel(false);
        final ChannelPipeline pipeline = backend.pipeline();
        if (pipeline.context(this) != null)
        {
            pipeline.remove(this);
        }
        if (clean && keepAlive && backend.isActive())
        {
            pipeline.get(BackendHandler.class).takeBack(); // idle from now, for the pool's idle timeout
            backends.release(routed.backend(), routed.sendProxy(), client, backend);
        }
        else
        {
            backend.close();
        }
    }
}
