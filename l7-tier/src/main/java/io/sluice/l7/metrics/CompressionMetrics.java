package io.sluice.l7.metrics;

import io.sluice.l7.config.ContentCoding;

import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Response compression: per route, responses compressed and body bytes in and out by
 * algorithm, and responses skipped by {@link CompressionSkip}; and the encoders open now, whose
 * native memory (zlib, brotli, zstd contexts) each response's end must release. Recorded by
 * the event loops without a lock, and without allocating once a route's series exists.
 */
public final class CompressionMetrics
{
    private static final String PREFIX = "sluice_l7_compression_";
    private static final ContentCoding[] CODINGS = ContentCoding.values();
    private static final CompressionSkip[] SKIPS = CompressionSkip.values();

    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
    private final LongAdder encodersOpened = new LongAdder();
    private final LongAdder encodersClosed = new LongAdder();

    /** One route's counters; series are never removed (a reload keeps a route's totals). */
    public static final class Route
    {
        private final String labels;
        private final LongAdder[] responses = L7Metrics.newAdders(CODINGS.length);
        private final LongAdder[] bytesIn = L7Metrics.newAdders(CODINGS.length);
        private final LongAdder[] bytesOut = L7Metrics.newAdders(CODINGS.length);
        private final LongAdder[] skipped = L7Metrics.newAdders(SKIPS.length);

        private Route(final String route)
        {
            labels = PrometheusText.label(new StringBuilder(), "route", route).toString();
        }

        /** A response will be compressed with {@code coding}. */
        public void compressing(final ContentCoding coding)
        {
            responses[coding.ordinal()].increment();
        }

        /** Body bytes through a compressor so far: {@code in} from the backend, {@code out} to the client. */
        public void bytes(final ContentCoding coding, final long in, final long out)
        {
            bytesIn[coding.ordinal()].add(in);
            bytesOut[coding.ordinal()].add(out);
        }

        public void skipped(final CompressionSkip reason)
        {
            skipped[reason.ordinal()].increment();
        }

        public long responses(final ContentCoding coding)
        {
            return responses[coding.ordinal()].sum();
        }

        public long bytesIn(final ContentCoding coding)
        {
            return bytesIn[coding.ordinal()].sum();
        }

        public long bytesOut(final ContentCoding coding)
        {
            return bytesOut[coding.ordinal()].sum();
        }

        public long skippedCount(final CompressionSkip reason)
        {
            return skipped[reason.ordinal()].sum();
        }
    }

    /** The route's counters, made the first time it is named. */
    public Route route(final String route)
    {
        final Route series = routes.get(route);
        return series != null ? series : routes.computeIfAbsent(route, Route::new);
    }

    /** An encoder (and its native memory) was made; pair each with one {@link #encoderClosed}. */
    public void encoderOpened()
    {
        encodersOpened.increment();
    }

    public void encoderClosed()
    {
        encodersClosed.increment();
    }

    /** Encoders open now: 0 when no response is being compressed. */
    public long encodersActive()
    {
        final long closedSoFar = encodersClosed.sum(); // before opened: a close is never counted without its open
        return encodersOpened.sum() - closedSoFar;
    }

    void writePrometheus(final StringBuilder out)
    {
        final TreeMap<String, Route> sorted = new TreeMap<>(routes);
        writeByCoding(out, "responses_total", "Responses compressed, by route and algorithm.", sorted,
            (route) -> route.responses);
        writeByCoding(out, "bytes_in_total", "Body bytes into the compressor (as the backend sent them), by route and algorithm.",
            sorted, (route) -> route.bytesIn);
        writeByCoding(out, "bytes_out_total", "Body bytes out of the compressor (what the client got), by route and algorithm.",
            sorted, (route) -> route.bytesOut);
        PrometheusText.family(out, PREFIX + "skipped_total", "counter",
            "Responses on routes that compress sent uncompressed, by route and reason.");
        for (final Route route : sorted.values())
        {
            for (final CompressionSkip reason : SKIPS)
            {
                PrometheusText.sample(out, PREFIX + "skipped_total",
                    PrometheusText.label(new StringBuilder(route.labels), "reason", reason.label()), route.skippedCount(reason));
            }
        }
        PrometheusText.family(out, PREFIX + "encoders_active", "gauge", "Compressors open now (each holds native memory).");
        PrometheusText.sample(out, PREFIX + "encoders_active", "", encodersActive());
    }

    private static void writeByCoding(final StringBuilder out, final String name, final String help,
        final TreeMap<String, Route> routes, final Function<Route, LongAdder[]> counters)
    {
        PrometheusText.family(out, PREFIX + name, "counter", help);
        for (final Route route : routes.values())
        {
            final LongAdder[] adders = counters.apply(route);
            for (final ContentCoding coding : CODINGS)
            {
                PrometheusText.sample(out, PREFIX + name, PrometheusText.label(new StringBuilder(route.labels), "algorithm",
                    coding.token()), adders[coding.ordinal()].sum());
            }
        }
    }
}
