package io.sluice.l7.health;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.proxy.LoopbackListener;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;


/**
 * Just enough of a gRPC server for the health checks, over h2c with prior knowledge: answers
 * every request with a HealthCheckResponse of the status the test sets, or with a trailers-only
 * error when the test sets a grpc-status; keeps each request's path, content-type, te and
 * message bytes.
 */
final class GrpcHealthServer implements AutoCloseable
{
    volatile int servingStatus = GrpcHealthMessages.SERVING;
    /** Non-zero: answer this grpc-status with no message. */
    volatile int grpcStatus;
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final LoopbackListener listener;

    GrpcHealthServer()
    {
        listener = new LoopbackListener((channel) -> channel.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
            new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>()
            {
                @Override
                protected void initChannel(final Http2StreamChannel stream)
                {
                    stream.pipeline().addLast(new HealthStream());
                }
            })));
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

    private final class HealthStream extends ChannelInboundHandlerAdapter
    {
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private String head;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object frame)
        {
            try
            {
                if (frame instanceof Http2HeadersFrame headers)
                {
                    head = headers.headers().method() + " " + headers.headers().path() + " " + headers.headers().get("content-type")
                        + " te=" + headers.headers().get("te") + " authority=" + headers.headers().authority();
                }
                else if (frame instanceof Http2DataFrame data)
                {
                    message.writeBytes(ByteBufUtil.getBytes(data.content()));
                    if (data.isEndStream())
                    {
                        requests.add(head + " " + ByteBufUtil.hexDump(message.toByteArray()));
                        answer(ctx);
                    }
                }
            }
            finally
            {
                ReferenceCountUtil.release(frame);
            }
        }

        private void answer(final ChannelHandlerContext ctx)
        {
            final int error = grpcStatus;
            final DefaultHttp2Headers headers = new DefaultHttp2Headers();
            headers.status("200").set("content-type", "application/grpc");
            if (error != 0)
            {
                headers.setInt("grpc-status", error).set("grpc-message", "not here");
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
                return;
            }
            ctx.write(new DefaultHttp2HeadersFrame(headers, false));
            ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(GrpcHealthMessages.response(servingStatus)), false));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().set("grpc-status", "0"), true));
        }
    }
}
