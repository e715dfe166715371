package io.sluice.l7.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The concurrency limits at work: per pool, the requests in flight and waiting now (read from
 * the configuration served at each scrape), how long admitted requests waited in the queue, and
 * the requests its queue timed out or had no place for; per server, its requests in flight; per
 * listener, the connections closed for being over {@code max_connections_per_client}. Recorded
 * by the event loops without a lock, and without allocating once a pool's or listener's series
 * exists; series are never removed (a reload keeps their totals).
 */
public final class ConcurrencyMetrics
{
    private static final String PREFIX = "sluice_l7_";

    /** A pool's load now, for the gauges. */
    public record PoolLoad(String pool, int inFlight, int waiting, List<ServerLoad> servers)
    {
    }

    /** A server's requests in flight now. */
    public record ServerLoad(String server, int inFlight)
    {
    }

    /** One pool's queue counters. */
    private static final class Queue
    {
        private final String labels;
        private final LongAdder timeouts = new LongAdder();
        private final LongAdder overflows = new LongAdder();
        /** Admitted waits by {@link LatencyBuckets} (not cumulative; the last is +Inf). */
        private final LongAdder[] waits = L7Metrics.newAdders(LatencyBuckets.LE_MICROS.length + 1);
        private final LongAdder waitNanos = new LongAdder();

        private Queue(final String pool)
        {
            labels = PrometheusText.label(new StringBuilder(), "pool", pool).toString();
        }
    }

    private final ConcurrentHashMap<String, Queue> queues = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> perClientRefusals = new ConcurrentHashMap<>();
    private volatile Supplier<List<PoolLoad>> loads = List::of;

    /** The pools' loads, read at each scrape (the pools of the configuration served then). */
    public void loads(final Supplier<List<PoolLoad>> supplier)
    {
        loads = supplier;
    }

    /** A request waited {@code nanos} in the pool's queue, then was given a slot. */
    public void queueWait(final String pool, final long nanos)
    {
        final Queue queue = queue(pool);
        final long micros = nanos / 1_000;
        int bucket = 0;
        while (bucket < LatencyBuckets.LE_MICROS.length && micros > LatencyBuckets.LE_MICROS[bucket])
        {
            bucket++;
        }
        queue.waits[bucket].increment();
        queue.waitNanos.add(nanos);
    }

    /** A request waited the pool's queue timeout without a slot (answered 503). */
    public void queueTimeout(final String pool)
    {
        queue(pool).timeouts.increment();
    }

    /** A request found no room and the pool's queue full (answered 503). */
    public void queueOverflow(final String pool)
    {
        queue(pool).overflows.increment();
    }

    public long queueTimeouts(final String pool)
    {
        final Queue queue = queues.get(pool);
        return queue == null ? 0 : queue.timeouts.sum();
    }

    public long queueOverflows(final String pool)
    {
        final Queue queue = queues.get(pool);
        return queue == null ? 0 : queue.overflows.sum();
    }

    /** A connection to the listener was closed at once: its client address had {@code max_connections_per_client} open. */
    public void perClientConnectionRefused(final String listener)
    {
        final LongAdder adder = perClientRefusals.get(listener);
        (adder != null ? adder : perClientRefusals.computeIfAbsent(listener, (name) -> new LongAdder())).increment();
    }

    public long perClientConnectionsRefused(final String listener)
    {
        final LongAdder adder = perClientRefusals.get(listener);
        return adder == null ? 0 : adder.sum();
    }

    private Queue queue(final String pool)
    {
        final Queue queue = queues.get(pool);
        return queue != null ? queue : queues.computeIfAbsent(pool, Queue::new);
    }

    void writePrometheus(final StringBuilder out)
    {
        final List<PoolLoad> now = loads.get();
        gauge(out, "pool_requests_in_flight", "Requests in flight to a pool's servers (max_requests caps them).");
        for (final PoolLoad load : now)
        {
            PrometheusText.sample(out, PREFIX + "pool_requests_in_flight", poolLabels(load.pool()), load.inFlight());
        }
        gauge(out, "pool_queue_depth", "Requests waiting in a pool's queue for room on a server.");
        for (final PoolLoad load : now)
        {
            PrometheusText.sample(out, PREFIX + "pool_queue_depth", poolLabels(load.pool()), load.waiting());
        }
        gauge(out, "server_requests_in_flight", "Requests in flight to a server (its max_requests caps them).");
        for (final PoolLoad load : now)
        {
            for (final ServerLoad server : load.servers())
            {
                PrometheusText.sample(out, PREFIX + "server_requests_in_flight",
                    PrometheusText.label(poolLabels(load.pool()), "server", server.server()), server.inFlight());
            }
        }
        final TreeMap<String, Queue> sorted = new TreeMap<>(queues);
        writeWaits(out, sorted);
        PrometheusText.family(out, PREFIX + "pool_queue_timeouts_total", "counter",
            "Requests answered 503 after waiting a pool's queue timeout.");
        for (final Queue queue : sorted.values())
        {
            PrometheusText.sample(out, PREFIX + "pool_queue_timeouts_total", queue.labels, queue.timeouts.sum());
        }
        PrometheusText.family(out, PREFIX + "pool_queue_overflows_total", "counter",
            "Requests answered 503 at once: no room on a server and the pool's queue full.");
        for (final Queue queue : sorted.values())
        {
            PrometheusText.sample(out, PREFIX + "pool_queue_overflows_total", queue.labels, queue.overflows.sum());
        }
        PrometheusText.family(out, PREFIX + "connections_per_client_refused_total", "counter",
            "Connections closed as accepted: their client address had max_connections_per_client open, by listener.");
        for (final Map.Entry<String, LongAdder> entry : new TreeMap<>(perClientRefusals).entrySet())
        {
            PrometheusText.sample(out, PREFIX + "connections_per_client_refused_total",
                PrometheusText.label(new StringBuilder(), "listener", entry.getKey()), entry.getValue().sum());
        }
    }

    private static void writeWaits(final StringBuilder out, final TreeMap<String, Queue> sorted)
    {
        final String name = PREFIX + "pool_queue_wait_seconds";
        PrometheusText.family(out, name, "histogram", "Time admitted requests waited in a pool's queue.");
        for (final Queue queue : sorted.values())
        {
            long cumulative = 0;
            for (int i = 0; i < queue.waits.length; i++)
            {
                cumulative += queue.waits[i].sum();
                final String le = i < LatencyBuckets.LE.length ? LatencyBuckets.LE[i] : LatencyBuckets.INFINITY;
                PrometheusText.sample(out, name + "_bucket", PrometheusText.label(new StringBuilder(queue.labels), "le", le),
                    cumulative);
            }
            PrometheusText.sample(out, name + "_sum", queue.labels, PrometheusText.seconds(queue.waitNanos.sum()));
            PrometheusText.sample(out, name + "_count", queue.labels, cumulative);
        }
    }

    private static void gauge(final StringBuilder out, final String name, final String help)
    {
        PrometheusText.family(out, PREFIX + name, "gauge", help);
    }

    private static StringBuilder poolLabels(final String pool)
    {
        return PrometheusText.label(new StringBuilder(), "pool", pool);
    }
}
