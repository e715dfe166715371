package io.sluice.l7.metrics;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The routes' rate limits, per route and limit: requests each limit let go, refused, delayed or
 * (in a dry run) would have refused, and for a global limit the shared store's failures and
 * what the limit fell back to. Recorded by the event loops without a lock, and without
 * allocating once a limit's series exists.
 */
public final class RateLimitMetrics
{
    private static final String PREFIX = "sluice_l7_rate_limit_";
    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final Fallback[] FALLBACKS = Fallback.values();
    private static final String[] OUTCOME_LABELS = Arrays.stream(OUTCOMES).map((outcome) -> outcome.label).toArray(String[]::new);
    private static final String[] FALLBACK_LABELS = Arrays.stream(FALLBACKS).map((fallback) -> fallback.label)
        .toArray(String[]::new);

    /** What a limit did with a request it applied to. */
    public enum Outcome
    {
        ALLOWED("allowed"),
        LIMITED("limited"),
        DELAYED("delayed"),
        /** A dry-run limit that would have refused (or delayed) the request, which went on. */
        DRY_RUN("dry_run");

        private final String label;

        Outcome(final String label)
        {
            this.label = label;
        }
    }

    /** What a global limit did when the shared store failed ({@code on_redis_error}). */
    public enum Fallback
    {
        LOCAL("local"),
        ALLOW("allow"),
        DENY("deny");

        private final String label;

        Fallback(final String label)
        {
            this.label = label;
        }
    }

    /** route, then limit name: the series. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Limit>> routes = new ConcurrentHashMap<>();

    /** One limit's counters; never removed (a reload keeps a limit's totals). */
    public static final class Limit
    {
        private final String labels;
        private final LongAdder[] outcomes = L7Metrics.newAdders(OUTCOMES.length);
        private final LongAdder sharedErrors = new LongAdder();
        private final LongAdder[] fallbacks = L7Metrics.newAdders(FALLBACKS.length);

        private Limit(final String route, final String limit)
        {
            labels = PrometheusText.label(PrometheusText.label(new StringBuilder(), "route", route), "limit", limit).toString();
        }

        public void counted(final Outcome outcome)
        {
            outcomes[outcome.ordinal()].increment();
        }

        /** The shared store failed to decide (an error, a timeout, no connection), and the limit did {@code fallback}. */
        public void sharedError(final Fallback fallback)
        {
            sharedErrors.increment();
            fallbacks[fallback.ordinal()].increment();
        }

        public long count(final Outcome outcome)
        {
            return outcomes[outcome.ordinal()].sum();
        }

        public long sharedErrors()
        {
            return sharedErrors.sum();
        }

        public long fallbacks(final Fallback fallback)
        {
            return fallbacks[fallback.ordinal()].sum();
        }
    }

    /** The limit's counters, made the first time it is named. */
    public Limit limit(final String route, final String limit)
    {
        ConcurrentHashMap<String, Limit> inRoute = routes.get(route);
        if (inRoute == null)
        {
            inRoute = routes.computeIfAbsent(route, (name) -> new ConcurrentHashMap<>());
        }
        final Limit series = inRoute.get(limit);
        return series != null ? series : inRoute.computeIfAbsent(limit, (name) -> new Limit(route, name));
    }

    void writePrometheus(final StringBuilder out)
    {
        if (routes.isEmpty())
        {
            return;
        }
        final TreeMap<String, Limit> sorted = new TreeMap<>();
        for (final Map.Entry<String, ConcurrentHashMap<String, Limit>> route : routes.entrySet())
        {
            route.getValue().forEach((limit, series) -> sorted.put(route.getKey() + '\0' + limit, series));
        }
        writeByLabel(out, "requests_total",
            "Requests a rate limit applied to, by route, limit and what it did (dry_run: would have limited or delayed).",
            sorted.values(), "result", OUTCOME_LABELS, (limit) -> limit.outcomes);
        final String errors = PREFIX + "shared_errors_total";
        PrometheusText.family(out, errors, "counter",
            "Decisions a global limit's shared store (Redis) failed to make: errors, timeouts, no connection.");
        for (final Limit limit : sorted.values())
        {
            PrometheusText.sample(out, errors, limit.labels, limit.sharedErrors());
        }
        writeByLabel(out, "fallbacks_total",
            "Requests a global limit decided without its shared store, by what it fell back to (on_redis_error).",
            sorted.values(), "to", FALLBACK_LABELS, (limit) -> limit.fallbacks);
    }

    /** A counter family with a sample per limit and value of one more label, whose counters {@code adders} gives by value. */
    private static void writeByLabel(final StringBuilder out, final String name, final String help,
        final Collection<Limit> limits, final String label, final String[] values, final Function<Limit, LongAdder[]> adders)
    {
        PrometheusText.family(out, PREFIX + name, "counter", help);
        for (final Limit limit : limits)
        {
            for (int i = 0; i < values.length; i++)
            {
                PrometheusText.sample(out, PREFIX + name, PrometheusText.label(new StringBuilder(limit.labels), label, values[i]),
                    adders.apply(limit)[i].sum());
            }
        }
    }
}
