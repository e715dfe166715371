package io.sluice.l7.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.l7.config.ConfigException;
import io.sluice.l7.metrics.L7Metrics;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One admin connection: each request is answered on the endpoint's own thread, in the order the
 * requests came (the executor runs one task at a time), so a slow reload holds no event loop and
 * pipelined answers cannot overtake each other.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest>
{
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";

    private final AdminActions actions;
    private final Executor executor;

    AdminHandler(final AdminActions actions, final Executor executor)
    {
        this.actions = actions;
        this.executor = executor;
    }

    /** An answer before it becomes a response; {@code allow} only for 405. */
    record Answer(HttpResponseStatus status, String contentType, String body, String allow)
    {
        static Answer text(final HttpResponseStatus status, final String body)
        {
            return new Answer(status, TEXT, body + "\n", null);
        }
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        // The request is released when this returns: take what the answer needs now.
        final boolean malformed = request.decoderResult().isFailure();
        final HttpMethod method = request.method();
        final String uri = request.uri();
        final int query = uri.indexOf('?');
        final String path = query < 0 ? uri : uri.substring(0, query);
        try
        {
            executor.execute(() ->
            {
                if (malformed)
                {
                    final FullHttpResponse response = response(ctx, Answer.text(HttpResponseStatus.BAD_REQUEST, "bad request"));
                    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ctx.writeAndFlush(response(ctx, answer(method, path, uri)));
            });
        }
        catch (final RejectedExecutionException ex)
        {
            ctx.close(); // the endpoint is closing
        }
    }

    private Answer answer(final HttpMethod method, final String path, final String uri)
    {
        final HttpMethod allowed = switch (path)
        {
            case "/status", "/metrics" -> HttpMethod.GET;
            case "/reload", "/drain", "/purge" -> HttpMethod.POST;
            default -> null;
        };
        if (allowed == null)
        {
            return Answer.text(HttpResponseStatus.NOT_FOUND,
                "no such endpoint; there are GET /status, GET /metrics, POST /reload, POST /drain, POST /purge");
        }
        if (!allowed.equals(method))
        {
            return new Answer(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, path + " takes " + allowed + " only\n", allowed.name());
        }
        try
        {
            return switch (path)
            {
                case "/status" -> new Answer(HttpResponseStatus.OK, JSON, StatusJson.write(actions.status().get()) + "\n", null);
                case "/metrics" -> new Answer(HttpResponseStatus.OK, L7Metrics.contentType(), actions.metrics().get(), null);
                case "/reload" -> reload();
                case "/purge" -> purge(uri);
                default ->
                {
                    actions.drain().run();
                    yield Answer.text(HttpResponseStatus.ACCEPTED, "draining");
                }
            };
        }
        catch (final RuntimeException ex)
        {
            return Answer.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, path.substring(1) + " failed: " + oneLine(ex));
        }
    }

    private Answer reload()
    {
        try
        {
            actions.reload().run();
            return Answer.text(HttpResponseStatus.OK, "reloaded");
        }
        catch (final ConfigException | IllegalArgumentException refusal)
        {
            return Answer.text(HttpResponseStatus.BAD_REQUEST, oneLine(refusal));
        }
    }

    private Answer purge(final String uri)
    {
        try
        {
            final int purged = actions.purge().applyAsInt(CachePurge.of(uri));
            return Answer.text(HttpResponseStatus.OK, "purged " + purged + (purged == 1 ? " response" : " responses"));
        }
        catch (final IllegalArgumentException refusal)
        {
            return Answer.text(HttpResponseStatus.BAD_REQUEST, oneLine(refusal));
        }
    }

    /** The exception's message up to its first line break (its class when it has none). */
    static String oneLine(final Throwable ex)
    {
        final String message = ex.getMessage();
        if (message == null || message.isBlank())
        {
            return ex.getClass().getSimpleName();
        }
        final int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }

    private static FullHttpResponse response(final ChannelHandlerContext ctx, final Answer answer)
    {
        final ByteBuf body = ByteBufUtil.writeUtf8(ctx.alloc(), answer.body());
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(), body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (answer.allow() != null)
        {
            response.headers().set(HttpHeaderNames.ALLOW, answer.allow());
        }
        HttpUtil.setContentLength(response, body.readableBytes());
        return response;
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }
}
