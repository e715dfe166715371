package io.sluice.l7.filter.compress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.l7.config.ContentCoding;
import io.sluice.l7.config.RouteFilter;
import io.sluice.l7.filter.BodyTransformer;
import io.sluice.l7.filter.FilterContext;
import io.sluice.l7.filter.ResponseFilter;
import io.sluice.l7.metrics.CompressionMetrics;
import io.sluice.l7.metrics.CompressionSkip;

/**
 * A route's {@code compress}: decides from the request and the response head whether and how
 * the body is compressed (the first {@link CompressionSkip} that applies says why not), and
 * gives a compressing body transformer when it is. A body whose length is known is decided at
 * once; one of unknown length (chunked, HTTP/2) is held up to {@code min_size} first, then each
 * chunk's output is flushed as it comes (a whole body's goes when the encoder's blocks fill:
 * {@link Compressor}). Server-sent events are left alone, unless the route says {@code sse: flush}:
 * then they are compressed and never held, each chunk the backend sends flushed to the client at
 * once, so an event is decodable on arrival, not when the next one comes.
 */
public final class CompressionFilter implements ResponseFilter
{
    private static final String IDENTITY = "identity";

    private final ContentCoding[] codings;
    /** By {@link ContentCoding#ordinal()}. */
    private final int[] levels = new int[ContentCoding.values().length];
    private final int minSizeBytes;
    private final MediaRanges types;
    /** {@code sse: flush}: event streams are compressed too, each chunk flushed as it comes. */
    private final boolean eventStreams;

    /** @throws IllegalArgumentException when a coding's native library cannot be loaded here, naming the route. */
    public CompressionFilter(final String route, final RouteFilter.Compress settings)
    {
        codings = settings.codings().toArray(new ContentCoding[0]);
        for (final ContentCoding coding : codings)
        {
            levels[coding.ordinal()] = settings.levels().get(coding);
            NativeCodecs.check(route, coding);
        }
        minSizeBytes = settings.minSizeBytes();
        types = new MediaRanges(settings.types());
        eventStreams = settings.flushEventStreams();
    }

    @Override
    public BodyTransformer onResponse(final HttpResponse response, final FilterContext context)
    {
        final CompressionMetrics metrics = context.metrics().compression();
        final CompressionMetrics.Route counters = metrics.route(context.routeName());
        final HttpRequest request = context.request();
        final CompressionSkip skip = skip(request, response);
        if (skip != null)
        {
            counters.skipped(skip);
            return null;
        }
        final boolean eventStream = eventStreams && MediaRanges.is(response.headers().get(HttpHeaderNames.CONTENT_TYPE),
            MediaRanges.EVENT_STREAM);
        final long length = HttpUtil.getContentLength(response, -1L);
        if (!eventStream && length >= 0 && (length < minSizeBytes || length == 0))
        {
            counters.skipped(CompressionSkip.TOO_SMALL);
            return null;
        }
        final ContentCoding coding = AcceptEncoding.choose(request.headers(), codings);
        if (coding == null)
        {
            CompressedHead.varyOnAcceptEncoding(response.headers()); // another client's request may be compressed
            counters.skipped(CompressionSkip.NOT_ACCEPTED);
            return null;
        }
        // An event stream is never held: each event goes out (compressed and flushed) as it comes.
        final int holdBytes = length >= 0 || eventStream ? 0 : minSizeBytes;
        final boolean streamed = length < 0 || eventStream;
        return new CompressingTransformer(response, coding, levels[coding.ordinal()], holdBytes, streamed, metrics, counters);
    }

    /**
     * The coding a request with these headers gets when its response is compressed: the token,
     * or {@code identity} when it takes none of the route's. What a cache keys the variants of a
     * response that varies on Accept-Encoding by: every way of writing the header that comes to
     * the same coding shares one variant.
     */
    public String codingFor(final HttpHeaders request)
    {
        final ContentCoding coding = AcceptEncoding.choose(request, codings);
        return coding == null ? IDENTITY : coding.token();
    }

    /** Why the response goes out as it is, or null when it may be compressed. */
    private CompressionSkip skip(final HttpRequest request, final HttpResponse response)
    {
        final HttpMethod method = request.method();
        if (method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.CONNECT))
        {
            return CompressionSkip.METHOD;
        }
        if (response.protocolVersion().equals(HttpVersion.HTTP_1_0))
        {
            return CompressionSkip.HTTP10;
        }
        final HttpResponseStatus status = response.status();
        if (status.codeClass() == HttpStatusClass.INFORMATIONAL || status.code() == HttpResponseStatus.NO_CONTENT.code()
            || status.code() == HttpResponseStatus.NOT_MODIFIED.code())
        {
            return CompressionSkip.STATUS;
        }
        if (status.code() == HttpResponseStatus.PARTIAL_CONTENT.code() || request.headers().contains(HttpHeaderNames.RANGE))
        {
            return CompressionSkip.RANGE;
        }
        final HttpHeaders headers = response.headers();
        if (CompressedHead.encoded(headers))
        {
            return CompressionSkip.ENCODED;
        }
        if (CompressedHead.noTransform(headers) || CompressedHead.noTransform(request.headers()))
        {
            return CompressionSkip.NO_TRANSFORM;
        }
        final String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (MediaRanges.is(contentType, MediaRanges.EVENT_STREAM))
        {
            return eventStreams ? null : CompressionSkip.EVENT_STREAM;
        }
        return types.matches(contentType) ? null : CompressionSkip.TYPE;
    }
}
