package io.sluice.l7.metrics;

/**
 * The latency histogram's fixed Prometheus buckets: upper bounds in seconds as they are written
 * ({@code le}) and the same bounds in microseconds, the unit latencies are recorded in. Fixed, so
 * every series and every scrape can be aggregated with every other.
 */
final class LatencyBuckets
{
    /** The finite bounds, ascending; {@code +Inf} follows them. */
    static final String[] LE = {"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"};
    static final long[] LE_MICROS = {500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
        2_500_000, 5_000_000, 10_000_000};
    static final String INFINITY = "+Inf";

    private LatencyBuckets()
    {
    }
}
