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
 * once; one of unknown length (chunked, HTTP/2) is held up to {@code min_size} first.
 */
public final class CompressionFilter implements ResponseFilter
{
    private final ContentCoding[] codings;
    /** By {@link ContentCoding#ordinal()}. */
    private final int[] levels = new int[ContentCoding.values().length];
    private final int minSizeBytes;
    private final MediaRanges types;

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
        final long length = HttpUtil.getContentLength(response, -1L);
        if (length >= 0 && (length < minSizeBytes || length == 0))
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
        final int holdBytes = length >= 0 ? 0 : minSizeBytes;
        return new CompressingTransformer(response, coding, levels[coding.ordinal()], holdBytes, metrics, counters);
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
            return CompressionSkip.EVENT_STREAM;
        }
        return types.matches(contentType) ? null : CompressionSkip.TYPE;
    }
}
