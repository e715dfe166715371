package io.sluice.l7.metrics;

import io.sluice.l7.cache.CacheStats;
import io.sluice.l7.http.RequestRefusal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The L7 tier's metrics, recorded by the proxy's event loops and scraped as Prometheus text.
 *
 * <p>Recording ({@link #exchangeFinished}, {@link #connectionOpened}, {@link #connectionClosed})
 * takes no lock and, once a label set has been seen, allocates nothing: series are found with
 * {@link ConcurrentHashMap#get} by name, counters are {@link LongAdder}s and latencies go to a
 * wait-free HdrHistogram {@code Recorder}. Scraping ({@link #prometheusText}) is serialized and
 * may run on any thread; it sums the adders and moves each recorder's new values into a
 * cumulative histogram, so counters and histograms only ever grow.
 *
 * <p>Each exchange counts twice: under its route ({@code sluice_l7_route_*{route}}) and under
 * the server that took it ({@code sluice_l7_server_*{pool,server}}). Separate families rather
 * than one with all three labels, so summing a family never double-counts and its series grow
 * with routes plus servers, not their product. Series are never removed: after a reload the old
 * names keep their totals, as Prometheus expects of counters.
 *
 * <p>Requests refused for what they are ({@link #requestRefused}: malformed, over a limit, not
 * allowed) count apart, by {@link RequestRefusal}, with every reason in the exposition from the
 * start: an operator can alert on a reason that has never happened yet, and sees an attack as a
 * rate rather than as a new series.
 */
public final class L7Metrics
{
    private static final String PREFIX = "sluice_l7_";
    /** What a request no route matched (404) is counted under. */
    static final String NO_ROUTE = "";
    /** What a request whose pool had no server up (503) is counted under, in its pool. */
    static final String NO_SERVER = "";
    private static final RequestRefusal[] REASONS = RequestRefusal.values();
    /** {@code reason="bad_chunk_size"} and so on, by ordinal: written once, not per scrape. */
    private static final String[] REASON_LABELS = reasonLabels();
    private static final ProxyProtocolOutcome[] PROXY_PROTOCOL_OUTCOMES = ProxyProtocolOutcome.values();

    private final ConcurrentHashMap<String, ExchangeSeries> routes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ExchangeSeries>> servers = new ConcurrentHashMap<>();
    private final LongAdder[] opened = {new LongAdder(), new LongAdder()};
    private final LongAdder[] closed = {new LongAdder(), new LongAdder()};
    /** By {@link RequestRefusal#ordinal()}: one adder per reason, so counting is an index and an increment. */
    private final LongAdder[] refused = newAdders(REASONS.length);
    private final LongAdder[] proxyProtocol = newAdders(PROXY_PROTOCOL_OUTCOMES.length);
    private final TlsMetrics tls = new TlsMetrics();
    private volatile LongSupplier idleBackendConnections;
    private volatile LongSupplier accessLogDropped;
    private final BackendStreams backendStreams = new BackendStreams();
    private volatile Supplier<List<CacheStats>> caches = List::of;
    private volatile Supplier<List<DnsStats>> dns = List::of;
    private final CompressionMetrics compression = new CompressionMetrics();
    private final RateLimitMetrics rateLimits = new RateLimitMetrics();
    private final AuthMetrics auth = new AuthMetrics();
    private final ConcurrencyMetrics concurrency = new ConcurrencyMetrics();
    private final RedisMetrics redis = new RedisMetrics();

    /**
     * An exchange is over (its response's last byte written, or it failed). Call once per
     * exchange, on any thread; lock-free.
     *
     * @param route         the route's name, or null when no route matched.
     * @param pool          the pool chosen, or null when there was none (no route).
     * @param server        the server's name in that pool, or null when none was up.
     * @param status        the status sent to the client; 0 when none was (the connection broke).
     * @param requestBytes  request body bytes received from the client.
     * @param responseBytes response body bytes sent to the client.
     * @param durationNanos from the request's first byte to the response's last ({@link System#nanoTime} difference).
     */
    public void exchangeFinished(final String route, final String pool, final String server, final int status,
        final long requestBytes, final long responseBytes, final long durationNanos)
    {
        routeSeries(route == null ? NO_ROUTE : route).record(status, requestBytes, responseBytes, durationNanos);
        if (pool != null)
        {
            serverSeries(pool, server == null ? NO_SERVER : server).record(status, requestBytes, responseBytes, durationNanos);
        }
    }

    /**
     * A request was refused for what it is (its status answered, its connection closed). Call
     * once per refused request, on any thread; lock-free, and allocation-free (but for the cells a
     * {@link LongAdder} adds the first times it is contended).
     */
    public void requestRefused(final RequestRefusal reason)
    {
        refused[reason.ordinal()].increment();
    }

    /** How a connection to a listener with {@code proxy_protocol} began; lock-free, as {@link #requestRefused} is. */
    public void proxyProtocol(final ProxyProtocolOutcome outcome)
    {
        proxyProtocol[outcome.ordinal()].increment();
    }

    /** The connections counted so far with that outcome. */
    public long proxyProtocolCount(final ProxyProtocolOutcome outcome)
    {
        return proxyProtocol[outcome.ordinal()].sum();
    }

    /** The refused requests so far, label to count, every reason in {@link RequestRefusal}'s order (zeros included). */
    public Map<String, Long> refusedRequests()
    {
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (final RequestRefusal reason : REASONS)
        {
            counts.put(reason.label(), refused[reason.ordinal()].sum());
        }
        return Collections.unmodifiableMap(counts);
    }

    /** TLS handshakes with clients and the certificates served. */
    public TlsMetrics tls()
    {
        return tls;
    }

    /** HTTP/2 streams to backends and the frames that end them. */
    public BackendStreams backendStreams()
    {
        return backendStreams;
    }

    /** Responses compressed and skipped by the routes' compress filters. */
    public CompressionMetrics compression()
    {
        return compression;
    }

    /** Requests the routes' rate limits let go, refused and delayed, and their shared store's failures. */
    public RateLimitMetrics rateLimits()
    {
        return rateLimits;
    }

    /** Requests the routes' authentication accepted and refused, and their JWKS fetches. */
    public AuthMetrics auth()
    {
        return auth;
    }

    /** The pools' and servers' requests in flight and queues, and the listeners' per-client connection caps. */
    public ConcurrencyMetrics concurrency()
    {
        return concurrency;
    }

    /** The Redis store of global rate limits: decisions, errors, round trips, connections. */
    public RedisMetrics redis()
    {
        return redis;
    }

    /** A connection on that side is open; pair each with one {@link #connectionClosed}. */
    public void connectionOpened(final ConnectionSide side)
    {
        opened[side.ordinal()].increment();
    }

    public void connectionClosed(final ConnectionSide side)
    {
        closed[side.ordinal()].increment();
    }

    /**
     * The gauge of idle pooled backend connections, read at each scrape (on the scraping thread;
     * it may block briefly, e.g. asking each event loop). A supplier that throws leaves the
     * sample out of that scrape.
     */
    public void idleBackendConnections(final LongSupplier gauge)
    {
        idleBackendConnections = gauge;
    }

    /** The route caches' figures, read at each scrape (the routes of the configuration served then). */
    public void caches(final Supplier<List<CacheStats>> stats)
    {
        caches = stats;
    }

    /** The pool servers' DNS names' figures, read at each scrape. */
    public void dns(final Supplier<List<DnsStats>> stats)
    {
        dns = stats;
    }

    /** The access log's count of lines it could not write, read at each scrape. */
    public void accessLogDropped(final LongSupplier counter)
    {
        accessLogDropped = counter;
    }

    /** Open connections now on that side (opened minus closed). */
    public long activeConnections(final ConnectionSide side)
    {
        final long closedSoFar = closed[side.ordinal()].sum(); // before opened: a close is never counted without its open
        return Math.max(0, opened[side.ordinal()].sum() - closedSoFar);
    }

    private ExchangeSeries routeSeries(final String route)
    {
        final ExchangeSeries series = routes.get(route);
        return series != null ? series :
            routes.computeIfAbsent(route, (name) -> new ExchangeSeries(PrometheusText.label(new StringBuilder(), "route", name).toString()));
    }

    private ExchangeSeries serverSeries(final String pool, final String server)
    {
        ConcurrentHashMap<String, ExchangeSeries> inPool = servers.get(pool);
        if (inPool == null)
        {
            inPool = servers.computeIfAbsent(pool, (name) -> new ConcurrentHashMap<>());
        }
        final ExchangeSeries series = inPool.get(server);
        return series != null ? series : inPool.computeIfAbsent(server,
            (name) -> new ExchangeSeries(PrometheusText.label(PrometheusText.label(new StringBuilder(), "pool", pool), "server", name).toString()));
    }

    /** Everything, in the Prometheus text format 0.0.4; series sorted by their labels' values, reasons in their enum's order. */
    public String prometheusText()
    {
        final StringBuilder out = new StringBuilder(8192);
        writePrometheus(out);
        return out.toString();
    }

    /** The Content-Type to serve {@link #prometheusText()} with. */
    public static String contentType()
    {
        return PrometheusText.CONTENT_TYPE;
    }

    /** Appends {@link #prometheusText()}; serialized with other scrapes. */
    public synchronized void writePrometheus(final StringBuilder out)
    {
        final List<ExchangeSeries.Snapshot> byRoute = new ArrayList<>();
        for (final ExchangeSeries series : new TreeMap<>(routes).values())
        {
            byRoute.add(series.snapshot());
        }
        final List<ExchangeSeries.Snapshot> byServer = new ArrayList<>();
        for (final Map<String, ExchangeSeries> inPool : new TreeMap<>(servers).values())
        {
            for (final ExchangeSeries series : new TreeMap<>(inPool).values())
            {
                byServer.add(series.snapshot());
            }
        }
        writeExchanges(out, "route_", "route", byRoute);
        writeExchanges(out, "server_", "pool and server", byServer);
        writeRefusals(out);
        writeProxyProtocol(out);
        writeConnections(out, ConnectionSide.CLIENT, "client");
        writeConnections(out, ConnectionSide.BACKEND, "backend");
        tls.writePrometheus(out);
        backendStreams.writePrometheus(out);
        compression.writePrometheus(out);
        rateLimits.writePrometheus(out);
        auth.writePrometheus(out);
        concurrency.writePrometheus(out);
        redis.writePrometheus(out);
        writeCallback(out, "backend_connections_idle", "gauge", "Idle keep-alive connections pooled to backend servers.",
            idleBackendConnections);
        writeCallback(out, "access_log_dropped_total", "counter",
            "Access log lines not written: the queue was full, or writing failed.", accessLogDropped);
        CacheMetrics.write(out, caches.get());
        DnsMetrics.write(out, dns.get());
    }

    /** A counter family with one sample per series (scraping only: off the event loops). */
    private static void writeCounter(final StringBuilder out, final String name, final String help,
        final List<ExchangeSeries.Snapshot> series, final ToLongFunction<ExchangeSeries.Snapshot> value)
    {
        PrometheusText.family(out, name, "counter", help);
        for (final ExchangeSeries.Snapshot snapshot : series)
        {
            PrometheusText.sample(out, name, snapshot.labels(), value.applyAsLong(snapshot));
        }
    }

    private static void writeExchanges(final StringBuilder out, final String family, final String by,
        final List<ExchangeSeries.Snapshot> series)
    {
        writeCounter(out, PREFIX + family + "requests_total", "Requests finished, by " + by + ".", series,
            ExchangeSeries.Snapshot::requests);
        final String responses = PREFIX + family + "responses_total";
        PrometheusText.family(out, responses, "counter",
            "Responses by " + by + " and status class (1xx-5xx; 0 when the client got no response).");
        for (final ExchangeSeries.Snapshot snapshot : series)
        {
            for (int i = 0; i < ExchangeSeries.CLASSES.length; i++)
            {
                final StringBuilder labels = PrometheusText.label(new StringBuilder(snapshot.labels()), "class", ExchangeSeries.CLASSES[i]);
                PrometheusText.sample(out, responses, labels, snapshot.responses()[i]);
            }
        }
        writeCounter(out, PREFIX + family + "request_bytes_total", "Request body bytes received from clients, by " + by + ".", series,
            ExchangeSeries.Snapshot::requestBytes);
        writeCounter(out, PREFIX + family + "response_bytes_total", "Response body bytes sent to clients, by " + by + ".", series,
            ExchangeSeries.Snapshot::responseBytes);
        final String duration = PREFIX + family + "request_duration_seconds";
        PrometheusText.family(out, duration, "histogram",
            "Time from a request's first byte to its response's last, by " + by + ".");
        for (final ExchangeSeries.Snapshot snapshot : series)
        {
            final long[] buckets = snapshot.buckets();
            for (int i = 0; i < buckets.length; i++)
            {
                final String le = i < LatencyBuckets.LE.length ? LatencyBuckets.LE[i] : LatencyBuckets.INFINITY;
                PrometheusText.sample(out, duration + "_bucket", PrometheusText.label(new StringBuilder(snapshot.labels()), "le", le), buckets[i]);
            }
            PrometheusText.sample(out, duration + "_sum", snapshot.labels(), PrometheusText.seconds(snapshot.sumNanos()));
            PrometheusText.sample(out, duration + "_count", snapshot.labels(), snapshot.requests());
        }
    }

    private void writeRefusals(final StringBuilder out)
    {
        final String name = PREFIX + "requests_refused_total";
        PrometheusText.family(out, name, "counter",
            "Requests refused before reaching a backend (malformed, over a limit, or not allowed), by reason.");
        for (final RequestRefusal reason : REASONS)
        {
            PrometheusText.sample(out, name, REASON_LABELS[reason.ordinal()], refused[reason.ordinal()].sum());
        }
    }

    private void writeProxyProtocol(final StringBuilder out)
    {
        final String name = PREFIX + "proxy_protocol_total";
        PrometheusText.family(out, name, "counter", "Connections to listeners with proxy_protocol, by how they began "
            + "(untrusted, malformed, missing and timeout were closed).");
        for (final ProxyProtocolOutcome outcome : PROXY_PROTOCOL_OUTCOMES)
        {
            PrometheusText.sample(out, name, PrometheusText.label(new StringBuilder(), "result", outcome.label()),
                proxyProtocol[outcome.ordinal()].sum());
        }
    }

    private void writeConnections(final StringBuilder out, final ConnectionSide side, final String name)
    {
        final String active = PREFIX + name + "_connections_active";
        PrometheusText.family(out, active, "gauge", "Open " + name + " connections.");
        PrometheusText.sample(out, active, "", activeConnections(side));
        final String total = PREFIX + name + "_connections_opened_total";
        PrometheusText.family(out, total, "counter", "The " + name + " connections opened so far.");
        PrometheusText.sample(out, total, "", opened[side.ordinal()].sum());
    }

    static LongAdder[] newAdders(final int count)
    {
        final LongAdder[] adders = new LongAdder[count];
        for (int i = 0; i < count; i++)
        {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    private static String[] reasonLabels()
    {
        final String[] labels = new String[REASONS.length];
        for (final RequestRefusal reason : REASONS)
        {
            labels[reason.ordinal()] = PrometheusText.label(new StringBuilder(), "reason", reason.label()).toString();
        }
        return labels;
    }

    private static void writeCallback(final StringBuilder out, final String name, final String type, final String help,
        final LongSupplier supplier)
    {
        if (supplier == null)
        {
            return;
        }
        final long value;
        try
        {
            value = supplier.getAsLong();
        }
        catch (final RuntimeException ex)
        {
            return; // e.g. the proxy's event loops are shutting down: no value this time
        }
        PrometheusText.family(out, PREFIX + name, type, help);
        PrometheusText.sample(out, PREFIX + name, "", value);
    }
}
