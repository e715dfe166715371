package io.sluice.l7.health;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;


/**
 * The check's HTTP/2 stream: sends the request, then judges the answer when its trailers come
 * (or a trailers-only answer, which is how gRPC servers report errors): HTTP status 200,
 * grpc-status 0, and a HealthCheckResponse saying SERVING.
 */
final class GrpcCheckHandler extends CheckResponseHandler
{
    private final GrpcProbe probe;
    private boolean headersSeen;

    GrpcCheckHandler(final GrpcProbe probe, final CheckAttempt attempt)
    {
        super(attempt, probe.timeoutMs(), STREAM_CLOSED);
        this.probe = probe;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        ctx.write(new DefaultHttp2HeadersFrame(probe.requestHeaders(), false));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(probe.request()), true));
        ctx.fireChannelActive();
    }

    @Override
    protected void judge(final Object message)
    {
        if (message instanceof Http2HeadersFrame frame)
        {
            if (!headersSeen)
            {
                headersSeen = true;
                final CharSequence status = frame.headers().status();
                if (status == null || !"200".contentEquals(status))
                {
                    attempt.fail("http status " + status);
                    return;
                }
            }
            if (frame.isEndStream())
            {
                judgeTrailers(frame.headers());
            }
        }
        else if (message instanceof Http2DataFrame frame)
        {
            append(frame.content());
            if (frame.isEndStream())
            {
                attempt.fail("no grpc-status trailer");
            }
        }
    }

    private void judgeTrailers(final Http2Headers trailers)
    {
        final CharSequence grpcStatus = trailers.get("grpc-status");
        if (grpcStatus == null)
        {
            attempt.fail("no grpc-status trailer");
            return;
        }
        if (!"0".contentEquals(grpcStatus))
        {
            final CharSequence grpcMessage = trailers.get("grpc-message");
            attempt.fail("grpc-status " + grpcStatus + (grpcMessage == null ? "" : ": " + grpcMessage));
            return;
        }
        final int servingStatus = GrpcHealthMessages.servingStatus(body, bodyLength);
        if (servingStatus == GrpcHealthMessages.SERVING)
        {
            attempt.pass();
        }
        else if (servingStatus == GrpcHealthMessages.MALFORMED)
        {
            attempt.fail("malformed health response (" + bodyLength + " bytes)");
        }
        else
        {
            attempt.fail(GrpcHealthMessages.statusName(servingStatus));
        }
    }
}
