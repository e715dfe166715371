package io.sluice.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.l7.config.ContentCoding;
import io.sluice.l7.config.RouteFilter;
import io.sluice.l7.filter.BackgroundReceiver;
import io.sluice.l7.filter.BodyTransformer;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.filter.ResponseFilter;
import io.sluice.l7.filter.compress.CompressionFilter;
import io.sluice.l7.metrics.L7Metrics;
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

import javax.net.ssl.SSLSession;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One response compressed per operation, as run-compress has the proxy do it: the route's
 * {@link CompressionFilter} (application/json, the coding's level) decides on a 200 with a
 * Content-Length, and its body transformer takes the 64 KiB JSON document of the harness's
 * backends in the 8 KiB pieces the backend connection's HTTP decoder hands on (pooled direct
 * memory, as a socket read leaves it); what it gives goes through an HTTP/1.1 response encoder
 * (chunked) to a sink that releases it, with one flush at the end, as one read burst. So an
 * operation is the filter's whole per-response cost: the encoder's making and ending, the
 * coding itself, its output buffers and the chunks the client connection writes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports",
    "java.base/jdk.internal.misc=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "-Dio.netty.leakDetection.level=disabled"})
@State(Scope.Thread)
public class GzipFilterBenchmark
{
    /** run-compress's body: bench/lib/json-documents.awk, seed 1, 64 KiB. */
    private static final int BODY_BYTES = 65536;
    /** What Netty's HttpClientCodec hands on at most per content (its default maxChunkSize). */
    private static final int PIECE_BYTES = 8192;

    /** gzip at run-compress's level 6; br and zstd at sluice's defaults, as run-compress has them. */
    @Param({"gzip", "br", "zstd"})
    public String coding;

    private ResponseFilter filter;
    private Context context;
    private EmbeddedChannel client;
    private ChannelPipeline pipeline;
    private Sink sink;
    private ByteBuf body;

    @Setup(Level.Trial)
    public void setUp()
    {
        final ContentCoding chosen = ContentCoding.of(coding);
        filter = new CompressionFilter("bench", new RouteFilter.Compress(List.of(chosen), 1024, List.of("application/json"),
            Map.of(chosen, chosen == ContentCoding.GZIP ? 6 : chosen.defaultLevel())));
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/body.json");
        request.headers().set(HttpHeaderNames.ACCEPT_ENCODING, coding);
        sink = new Sink();
        client = new EmbeddedChannel(sink, new HttpResponseEncoder());
        pipeline = client.pipeline();
        context = new Context(request, client.eventLoop());
        final byte[] json = JsonDocument.of(1, BODY_BYTES);
        body = ByteBufAllocator.DEFAULT.directBuffer(json.length).writeBytes(json);
        respond();
        if (sink.bytes == 0 || sink.bytes >= BODY_BYTES / 2)
        {
            throw new IllegalStateException(coding + " did not compress the body: " + sink.bytes + " bytes written");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        body.release();
        client.finishAndReleaseAll();
    }

    @Benchmark
    public long respond()
    {
        sink.bytes = 0;
        final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json").setInt(HttpHeaderNames.CONTENT_LENGTH, BODY_BYTES);
        final BodyTransformer transformer = filter.onResponse(head, context);
        pipeline.write(head);
        for (int at = 0; at < BODY_BYTES; at += PIECE_BYTES)
        {
            final ByteBuf piece = body.retainedSlice(at, PIECE_BYTES);
            final boolean last = at + PIECE_BYTES == BODY_BYTES;
            final HttpContent content = last ? new DefaultLastHttpContent(piece) : new DefaultHttpContent(piece);
            final HttpContent passing = transformer.transform(content);
            if (passing != null)
            {
                pipeline.write(passing);
            }
        }
        pipeline.flush();
        return sink.bytes;
    }

    /** The client connection's socket: counts and releases what the encoder writes. */
    static final class Sink extends ChannelOutboundHandlerAdapter
    {
        /** Written for the response so far: head, chunk framing and coded body. */
        long bytes;

        @Override
        public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
        {
            if (msg instanceof ByteBuf buffer)
            {
                bytes += buffer.readableBytes();
            }
            ReferenceCountUtil.release(msg);
            promise.setSuccess();
        }
    }

    /** The exchange as a response filter sees it; what compression never asks of it is refused. */
    record Context(HttpRequest request, EventExecutor executor, L7Metrics metrics) implements FilterContext
    {
        Context(final HttpRequest request, final EventExecutor executor)
        {
            this(request, executor, new L7Metrics());
        }

        @Override
        public String routeName()
        {
            return "bench";
        }

        @Override
        public InetSocketAddress client()
        {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public SSLSession tlsSession()
        {
            return null;
        }

        @Override
        public void answer(final FullHttpResponse response)
        {
            throw new UnsupportedOperationException("a response filter does not answer");
        }

        @Override
        public void resume()
        {
            throw new UnsupportedOperationException("a response filter does not resume");
        }

        @Override
        public Identity identity()
        {
            return null;
        }

        @Override
        public void identity(final Identity identity)
        {
            throw new UnsupportedOperationException("compression sets no identity");
        }

        @Override
        public void attach(final Object owner, final Object value)
        {
            throw new UnsupportedOperationException("compression attaches nothing");
        }

        @Override
        public Object attachment(final Object owner)
        {
            return null;
        }

        @Override
        public void background(final HttpRequest request, final ResponseFilter from, final BackgroundReceiver receiver)
        {
            throw new UnsupportedOperationException("compression sends no request of its own");
        }
    }
}
