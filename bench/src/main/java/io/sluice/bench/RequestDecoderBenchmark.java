package io.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.l7.config.RequestLimits;
import io.sluice.l7.http1.StrictRequestDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One request decoded per operation, by Netty's {@code HttpRequestDecoder} (as the proxy's
 * {@code HttpServerCodec} has it, validating headers) and by sluice's {@link StrictRequestDecoder}:
 * a browser-like GET (request line, Host and five common headers) and a small JSON POST framed
 * by Content-Length. The bytes are in pooled direct memory, as a socket read leaves them, and go
 * through the decoder's pipeline as a read does (read, then read complete) to a handler that
 * releases what comes out; the difference between the two is the decoders.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow", "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Thread)
public class RequestDecoderBenchmark
{
    static final String GET = """
        GET /index.html?lang=en HTTP/1.1\r
        Host: localhost:8080\r
        User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r
        Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
        Accept-Language: en-US,en;q=0.5\r
        Accept-Encoding: gzip, deflate, br\r
        Connection: keep-alive\r
        \r
        """;
    static final String BODY = "{\"item\":\"widget\",\"quantity\":3,\"express\":false}";
    static final String POST = """
        POST /api/orders HTTP/1.1\r
        Host: localhost:8080\r
        User-Agent: curl/8.5.0\r
        Accept: */*\r
        Content-Type: application/json\r
        Content-Length: %d\r
        \r
        %s""".formatted(BODY.length(), BODY);

    /** {@code baseline}: what the rest costs, the pipeline and the objects, with no parsing. */
    @Param({"netty", "strict", "baseline"})
    public String decoder;

    @Param({"get", "post"})
    public String request;

    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private Sink sink;
    private ByteBuf bytes;

    @Setup(Level.Trial)
    public void setUp()
    {
        final ChannelHandler handler = switch (decoder)
        {
            case "netty" -> new HttpRequestDecoder();
            case "strict" -> new StrictRequestDecoder(RequestLimits.DEFAULTS);
            default -> new Baseline();
        };
        sink = new Sink();
        channel = new EmbeddedChannel(handler, sink);
        pipeline = channel.pipeline();
        final byte[] text = ("get".equals(request) ? GET : POST).getBytes(StandardCharsets.ISO_8859_1);
        bytes = PooledByteBufAllocator.DEFAULT.directBuffer(text.length).writeBytes(text);
        decode();
        if (sink.requests != 1 || sink.lastContents != 1)
        {
            throw new IllegalStateException(decoder + " did not decode one whole request: " + sink.requests + " " + sink.lastContents);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        bytes.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int decode()
    {
        pipeline.fireChannelRead(bytes.retainedDuplicate());
        pipeline.fireChannelReadComplete();
        return sink.headers;
    }

    /** Skips the bytes and hands on a request and its end, as a decoder that did no work would. */
    static final class Baseline extends ByteToMessageDecoder
    {
        @Override
        protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
        {
            in.skipBytes(in.readableBytes());
            out.add(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
            out.add(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    /** Counts what arrives, reads a little of each request as the proxy would, and releases it all. */
    static final class Sink extends ChannelInboundHandlerAdapter
    {
        int requests;
        int lastContents;
        int headers;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof HttpRequest head)
            {
                if (head.decoderResult().isFailure())
                {
                    throw new IllegalStateException("refused: " + head.decoderResult().cause());
                }
                requests++;
                headers += head.headers().size() + head.uri().length();
            }
            if (msg instanceof LastHttpContent)
            {
                lastContents++;
            }
            if (msg instanceof HttpContent content)
            {
                headers += content.content().readableBytes();
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
