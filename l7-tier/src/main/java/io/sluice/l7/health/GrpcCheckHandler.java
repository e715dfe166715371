package io.sluice.l7.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;

import java.util.Arrays;

/**
 * The check's HTTP/2 stream: sends the request, then judges the answer when its trailers come
 * (or a trailers-only answer, which is how gRPC servers report errors): HTTP status 200,
 * grpc-status 0, and a HealthCheckResponse saying SERVING.
 */
final class GrpcCheckHandler extends ChannelInboundHandlerAdapter
{
    private final GrpcProbe probe;
    private final CheckAttempt attempt;
    private boolean headersSeen;
    private byte[] body = new byte[0];
    private int bodyLength;

    GrpcCheckHandler(final GrpcProbe probe, final CheckAttempt attempt)
    {
        this.probe = probe;
        this.attempt = attempt;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        ctx.write(new DefaultHttp2HeadersFrame(probe.requestHeaders(), false));
        ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(probe.request()), true));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object message)
    {
        try
        {
            if (!attempt.ended())
            {
                judge(message);
            }
        }
        finally
        {
            ReferenceCountUtil.release(message);
        }
    }

    private void judge(final Object message)
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

    private void append(final ByteBuf content)
    {
        final int length = Math.min(content.readableBytes(), Probe.MAX_BODY_BYTES - bodyLength);
        if (bodyLength + length > body.length)
        {
            body = Arrays.copyOf(body, bodyLength + length);
        }
        content.getBytes(content.readerIndex(), body, bodyLength, length);
        bodyLength += length;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof Http2ResetFrame reset)
        {
            attempt.fail("stream reset (error " + reset.errorCode() + ")");
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        attempt.fail("stream closed before the response ended");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        attempt.fail(FailureReasons.of(cause, probe.timeoutMs()));
    }
}
