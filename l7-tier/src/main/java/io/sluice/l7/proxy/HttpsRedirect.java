package io.sluice.l7.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.http.RequestHeadChecks;
import io.sluice.l7.http.RequestTarget;

/**
 * {@code redirect_https} on a cleartext listener: every request is answered with a redirect to
 * the same host and path over https, 301 for GET and HEAD, 308 for the others (which keeps their
 * method and body, RFC 9110 15.4.9), and the connection closes: the client's next request goes to
 * https, and no body is read. A request the proxy would refuse anyway is answered 400. Stateless,
 * shared by the listener's connections (and their h2c streams).
 */
@ChannelHandler.Sharable
final class HttpsRedirect extends ChannelInboundHandlerAdapter
{
    private static final int HTTPS_PORT = 443;

    /** {@code :8443}, or nothing for 443. */
    private final String portSuffix;

    HttpsRedirect(final int port)
    {
        this.portSuffix = port == HTTPS_PORT ? "" : ":" + port;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (msg instanceof HttpRequest request)
            {
                final FullHttpResponse response = answer(request);
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    private FullHttpResponse answer(final HttpRequest request)
    {
        final String uri = request.uri();
        final RequestTarget target = RequestTarget.parse(uri);
        final String host = request.decoderResult().isSuccess() && RequestHeadChecks.check(request, false) == null ?
            host(request, target) : null;
        if (host == null)
        {
            return FrontendHandler.errorResponse(HttpResponseStatus.BAD_REQUEST, "this listener redirects to https: a request"
                + " with a valid Host is needed");
        }
        final String path = target.pathStart() < uri.length() ? uri.substring(target.pathStart()) : "/";
        final boolean safe = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            safe ? HttpResponseStatus.MOVED_PERMANENTLY : HttpResponseStatus.PERMANENT_REDIRECT, Unpooled.EMPTY_BUFFER);
        response.headers()
            .set(HttpHeaderNames.LOCATION, "https://" + host + portSuffix + (path.startsWith("/") ? path : "/" + path))
            .set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
        return response;
    }

    /** The request's host without its port ({@code [v6]} kept in brackets), from the absolute target or Host; null if none. */
    private static String host(final HttpRequest request, final RequestTarget target)
    {
        final String authority = target.authority() != null ? target.authority() : request.headers().get(HttpHeaderNames.HOST);
        if (authority == null || authority.isEmpty())
        {
            return null;
        }
        final int end = authority.startsWith("[") ? authority.indexOf(']') + 1 : authority.indexOf(':');
        return end <= 0 ? authority : authority.substring(0, end);
    }
}
