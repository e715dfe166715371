package io.sluice.l7.upstream;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.sluice.l7.grpc.GrpcErrorResponse;


/**
 * Between a backend stream's frame codec and the exchange's handler: what makes an HTTP/2 stream
 * look like the HTTP/1.1 connection an exchange expects, and end like one.
 * <ul>
 *   <li>The request says {@code te: trailers}: the proxy takes trailers and passes them on, and gRPC
 *       servers ask for it (the client's TE, hop-by-hop, was removed).</li>
 *   <li>A response whose head ended the stream (a FullHttpResponse from the codec) comes as a
 *       head and a last content, as every other response does; when it is a gRPC trailers-only
 *       answer, its fields but the content-type (grpc-status, grpc-message, the call's trailing
 *       metadata) go into that last content's trailers, so they stay trailers for any client.</li>
 *   <li>The codec's stream-id header is the stream's, not the response's: removed.</li>
 *   <li>A stream closed after the response ended but before the request did is reset (CANCEL):
 *       Netty's stream channel sends no reset once it has read the end, and the stream would stay
 *       half open on the connection, holding one of its slots.</li>
 * </ul>
 */
final class StreamMessages extends ChannelDuplexHandler
{
    private static final CharSequence STREAM_ID = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text();

    private boolean requestBegun;
    private boolean requestEnded;
    private boolean responseEnded;

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        if (msg instanceof HttpRequest request)
        {
            requestBegun = true;
            request.headers().set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
        }
        if (msg instanceof LastHttpContent)
        {
            requestEnded = true;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void close(final ChannelHandlerContext ctx, final ChannelPromise promise)
    {
        if (requestBegun && !requestEnded && responseEnded && ctx.channel().isActive())
        {
            requestEnded = true;
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL), ctx.voidPromise());
        }
        ctx.close(promise);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof FullHttpResponse whole)
        {
            final HttpResponse head = new DefaultHttpResponse(whole.protocolVersion(), whole.status(), whole.headers());
            head.headers().remove(STREAM_ID);
            final LastHttpContent end = new DefaultLastHttpContent(whole.content());
            final boolean informational = whole.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!informational && !whole.content().isReadable() && GrpcErrorResponse.isGrpc(head.headers()))
            {
                moveGrpcTrailers(head.headers(), end.trailingHeaders());
                HttpUtil.setTransferEncodingChunked(head, true); // trailers need chunks on HTTP/1.1
            }
            responseEnded = !informational;
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(end);
            return;
        }
        if (msg instanceof HttpResponse head)
        {
            head.headers().remove(STREAM_ID);
        }
        else if (msg instanceof LastHttpContent)
        {
            responseEnded = true;
        }
        ctx.fireChannelRead(msg);
    }

    /** A trailers-only answer's fields are the call's trailers; only its content-type describes the (empty) response. */
    private static void moveGrpcTrailers(final HttpHeaders head, final HttpHeaders trailers)
    {
        final String contentType = head.get(HttpHeaderNames.CONTENT_TYPE);
        head.remove(HttpHeaderNames.CONTENT_TYPE).remove(HttpHeaderNames.CONTENT_LENGTH);
        trailers.set(head);
        head.clear().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
}
