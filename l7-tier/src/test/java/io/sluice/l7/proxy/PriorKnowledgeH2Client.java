package io.sluice.l7.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.Http2WindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client that speaks h2c by prior knowledge (the connection starts with the HTTP/2
 * preface, no Upgrade), which the JDK's client does not do: one connection, a stream per GET,
 * each answer aggregated for the test to read. It notes, in the order it saw them, each
 * response's end, each GOAWAY and the connection's close ({@link #events()}), so a test can
 * tell what came before what.
 */
final class PriorKnowledgeH2Client implements AutoCloseable
{
    /**
     * The body bytes {@link #upload} sends at a time: two DATA frames, half a stream's first
     * window, so a server that gives window back once half of it is used (as Netty does) gives
     * all of it back after each round.
     */
    static final int ROUND = 2 * 16_384;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel connection;
    /** Written by the connection's one event loop only, so in the order things happened. */
    private final Queue<String> events = new ConcurrentLinkedQueue<>();
    private final CountDownLatch closeSeen = new CountDownLatch(1);
    /** By stream, for an {@link #upload} on it: the bytes of its window the server gave back. */
    private final Map<Integer, Semaphore> windowsGivenBack = new ConcurrentHashMap<>();

    /** A GET on its stream, its response to come. */
    record Exchange(int streamId, CompletableFuture<FullHttpResponse> response)
    {
    }

    PriorKnowledgeH2Client(final InetSocketAddress server)
    {
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .handler(new ChannelInitializer<>()
            {
                @Override
                protected void initChannel(final Channel channel)
                {
                    channel.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                        new ChannelInboundHandlerAdapter()
                        {
                            /** Here, before the multiplexer, which keeps WINDOW_UPDATEs from the stream channels. */
                            @Override
                            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                            {
                                if (msg instanceof Http2WindowUpdateFrame update)
                                {
                                    final Semaphore upload = windowsGivenBack.get(update.stream().id());
                                    if (upload != null)
                                    {
                                        upload.release(update.windowSizeIncrement());
                                    }
                                }
                                ctx.fireChannelRead(msg);
                            }
                        },
                        new Http2MultiplexHandler(new ChannelInitializer<>()
                        {
                            @Override
                            protected void initChannel(final Channel pushed)
                            {
                                pushed.close(); // no server push expected
                            }
                        }),
                        new ChannelInboundHandlerAdapter()
                        {
                            @Override
                            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                            {
                                if (msg instanceof Http2GoAwayFrame goAway)
                                {
                                    events.add("goaway " + Http2Error.valueOf(goAway.errorCode()) + " last stream " + goAway.lastStreamId());
                                }
                                ReferenceCountUtil.release(msg);
                            }

                            @Override
                            public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                            {
                                events.add("error " + cause.getMessage()); // a reset, say: no test expects one
                                ctx.close();
                            }
                        });
                    channel.closeFuture().addListener((closed) ->
                    {
                        events.add("closed");
                        closeSeen.countDown();
                    });
                }
            })
            .connect(server).syncUninterruptibly().channel();
    }

    /** A GET on a new stream; the whole response, which the caller releases. */
    FullHttpResponse get(final String path) throws Exception
    {
        return request(path).response().get(5, TimeUnit.SECONDS);
    }

    /**
     * A GET on a new stream, not waiting for its answer.
     *
     * @param headers names and values, in turns: e.g. {@code "x-delay-ms", "500"}.
     */
    Exchange request(final String path, final String... headers)
    {
        final CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
        final Http2StreamChannel stream = open(path, answer);
        final DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set("host", "test").set("x-http2-scheme", "http");
        for (int i = 0; i < headers.length; i += 2)
        {
            request.headers().set(headers[i], headers[i + 1]);
        }
        stream.writeAndFlush(request).awaitUninterruptibly(); // the codec numbers a stream as its headers go out
        return new Exchange(stream.stream().id(), answer);
    }

    /**
     * A POST of {@code rounds} x {@link #ROUND} body bytes on a new stream, a round at a time,
     * each once the server's WINDOW_UPDATEs gave back the window the one before used: never
     * more than a round in flight, so only a WINDOW_UPDATE moves the upload on. An answer that
     * comes before the body's end ends it.
     *
     * @return the answer, which the caller releases.
     */
    FullHttpResponse upload(final String path, final int rounds) throws Exception
    {
        final CompletableFuture<FullHttpResponse> answer = new CompletableFuture<>();
        final Http2StreamChannel stream = open(path, answer);
        final DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
        head.headers().set("host", "test").set("x-http2-scheme", "http");
        HttpUtil.setContentLength(head, (long)rounds * ROUND);
        stream.writeAndFlush(head).awaitUninterruptibly();
        final Semaphore windowGivenBack = new Semaphore(0);
        windowsGivenBack.put(stream.stream().id(), windowGivenBack);
        answer.whenComplete((response, failure) -> windowGivenBack.release(ROUND)); // no longer waiting for the window
        for (int round = 1; round <= rounds; round++)
        {
            if (round > 1) // the first fits the stream's first window
            {
                windowGivenBack.acquire(ROUND);
            }
            if (answer.isDone())
            {
                break;
            }
            final ByteBuf bytes = Unpooled.wrappedBuffer(new byte[ROUND]);
            stream.writeAndFlush(round == rounds ? new DefaultLastHttpContent(bytes) : new DefaultHttpContent(bytes));
        }
        return answer.get(5, TimeUnit.SECONDS);
    }

    /** A new stream whose answer, aggregated, completes {@code answer}. */
    private Http2StreamChannel open(final String path, final CompletableFuture<FullHttpResponse> answer)
    {
        return new Http2StreamChannelBootstrap(connection).handler(new ChannelInitializer<>()
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
                            events.add("response " + path + " " + response.status().code());
                            answer.complete(response.retain());
                        }

                        @Override
                        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
                        {
                            noResponse(path, answer, cause); // e.g. closed before the response's end
                            ctx.close();
                        }

                        @Override
                        public void channelInactive(final ChannelHandlerContext ctx)
                        {
                            noResponse(path, answer, new IOException("stream closed without a response"));
                            ctx.fireChannelInactive();
                        }
                    });
            }
        }).open().syncUninterruptibly().getNow();
    }

    private void noResponse(final String path, final CompletableFuture<FullHttpResponse> answer, final Throwable cause)
    {
        // Noted before the answer fails: a test woken by the failure then finds it in the events.
        // Only the connection's event loop completes answers, so nothing comes between the two.
        if (!answer.isDone())
        {
            events.add("no response " + path);
            answer.completeExceptionally(cause);
        }
    }

    /**
     * What the connection saw so far, in order: {@code response PATH STATUS}, {@code no response PATH},
     * {@code goaway ERROR last stream ID}, {@code error MESSAGE}, {@code closed}.
     */
    List<String> events()
    {
        return List.copyOf(events);
    }

    /** Whether the connection closed within {@code timeout} (and its close is among the {@link #events()}). */
    boolean awaitClosed(final Duration timeout) throws InterruptedException
    {
        return closeSeen.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close()
    {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
