package io.sluice.l7.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The exchanges of one label set (a route, or a pool's server): responses by status class,
 * bytes both ways, and latency. Any event loop records into it at once without a lock: the
 * counters are {@link LongAdder}s (a cell per contending thread) and the latencies go to an
 * HdrHistogram {@link Recorder} (wait-free recording). Scraping, which the registry serializes,
 * moves what was recorded since the last scrape into a cumulative histogram.
 */
final class ExchangeSeries
{
    /**
     * Latencies above this are recorded as this: they only need to land above the largest finite
     * bucket (10 s), and a smaller range keeps each histogram small (about 20 KiB at 2 digits).
     */
    static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.SECONDS.toMicros(60);
    /** 2 significant digits: a value near a bucket bound may be counted on the wrong side of it by under 1%. */
    private static final int SIGNIFICANT_DIGITS = 2;
    /** Status classes by index: 0 for no (valid) response, then 1xx to 5xx. */
    static final String[] CLASSES = {"0", "1xx", "2xx", "3xx", "4xx", "5xx"};

    /** The label set, escaped and ready to write between braces, e.g. {@code route="api"}. */
    final String labels;
    private final LongAdder[] responses = new LongAdder[CLASSES.length];
    private final LongAdder requestBytes = new LongAdder();
    private final LongAdder responseBytes = new LongAdder();
    private final LongAdder durationNanos = new LongAdder();
    private final Recorder latencyMicros = new Recorder(1, HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);

    /** Scrape side only (under the registry's scrape lock): everything recorded so far. */
    private final Histogram cumulative = new Histogram(1, HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private Histogram interval;

    ExchangeSeries(final String labels)
    {
        this.labels = labels;
        for (int i = 0; i < responses.length; i++)
        {
            responses[i] = new LongAdder();
        }
    }

    /** The index into {@link #CLASSES} of a status: 0 for 0 and for anything outside 100-599. */
    static int statusClass(final int status)
    {
        return status >= 100 && status <= 599 ? status / 100 : 0;
    }

    void record(final int status, final long requestBytes, final long responseBytes, final long durationNanos)
    {
        final long nanos = Math.max(0, durationNanos);
        responses[statusClass(status)].increment();
        this.requestBytes.add(requestBytes);
        this.responseBytes.add(responseBytes);
        this.durationNanos.add(nanos);
        latencyMicros.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(nanos), HIGHEST_TRACKABLE_MICROS));
    }

    /** Call with the registry's scrape lock held. */
    Snapshot snapshot()
    {
        interval = latencyMicros.getIntervalHistogram(interval);
        cumulative.add(interval);
        final long[] buckets = new long[LatencyBuckets.LE_MICROS.length + 1];
        for (final HistogramIterationValue value : cumulative.recordedValues())
        {
            // A recorded value stands for a small range of values; it falls in the first bucket its range starts in.
            final long lowest = cumulative.lowestEquivalentValue(value.getValueIteratedTo());
            int bucket = 0;
            while (bucket < LatencyBuckets.LE_MICROS.length && lowest > LatencyBuckets.LE_MICROS[bucket])
            {
                bucket++;
            }
            buckets[bucket] += value.getCountAtValueIteratedTo();
        }
        for (int i = 1; i < buckets.length; i++)
        {
            buckets[i] += buckets[i - 1];
        }
        final long[] byClass = new long[CLASSES.length];
        for (int i = 0; i < byClass.length; i++)
        {
            byClass[i] = responses[i].sum();
        }
        return new Snapshot(labels, byClass, requestBytes.sum(), responseBytes.sum(), buckets, durationNanos.sum());
    }

    /**
     * One series as a scrape saw it.
     *
     * @param responses by class index ({@link #CLASSES}).
     * @param buckets   cumulative counts per bucket, the last one {@code +Inf}: the count of requests.
     * @param sumNanos  the exact sum of the latencies (the histogram's own values are rounded).
     */
    record Snapshot(String labels, long[] responses, long requestBytes, long responseBytes, long[] buckets, long sumNanos)
    {
        long requests()
        {
            return buckets[buckets.length - 1];
        }
    }
}
