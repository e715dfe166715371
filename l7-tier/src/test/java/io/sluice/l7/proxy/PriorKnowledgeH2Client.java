package io.sluice.l7.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client that speaks h2c by prior knowledge (the connection starts with the HTTP/2
 * preface, no Upgrade), which the JDK's client does not do: one connection, a stream per GET,
 * each answer aggregated for the test to read.
 */
final class PriorKnowledgeH2Client implements AutoCloseable
{
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel connection;

    PriorKnowledgeH2Client(final InetSocketAddress server)
    {
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .handler(new ChannelInitializer<>()
            {
                @Override
                protected void initChannel(final Channel channel)
                {
                    channel.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                        new Http2MultiplexHandler(new ChannelInitializer<>()
                        {
                            @Override
                            protected void initChannel(final Channel pushed)
                            {
                                pushed.close(); // no server push expected
                            }
                        }));
                }
            })
            .connect(server).syncUninterruptibly().channel();
    }

    /** A GET on a new stream; the whole response, which the caller releases. */
    FullHttpResponse get(final String path) throws Exception
    {
        final CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
        final Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(final Channel channel)
            {
                channel.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new HttpObjectAggregator(1 << 20),
                    new SimpleChannelInboundHandler<FullHttpResponse>()
                    {
                        @Override
                        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpResponse response)
                        {
                            answer.complete(response.retain());
                        }
                    });
            }
        }).open().syncUninterruptibly().getNow();
        final DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set("host", "test").set("x-http2-scheme", "http");
        stream.writeAndFlush(request);
        return answer.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close()
    {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
