package io.sluice.l7.ratelimit;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.RouteFilter;
import io.sluice.l7.filter.FilterContext;

import java.util.function.LongSupplier;

/**
 * One configured limit of a route, ready for requests: its key, its emission interval, its
 * table on this proxy (a local limit's, or a global one's fallback) and its name as the
 * RateLimit fields and the shared store know it.
 */
final class RouteLimit
{
    private final RouteFilter.RateLimit.Limit config;
    private final RequestKey key;
    private final long intervalNanos;
    private final long maxDelayNanos;
    /** {@code "name"}: the limit as a structured-field string. */
    private final String fieldName;
    /** {@code route limit }: what a key's text follows in the shared store, so no two limits anywhere share a key. */
    private final String storePrefix;
    /** Replaced only by {@link #carryOver}, before the configuration serves (its router is published after). */
    private GcraTable table;

    RouteLimit(final String route, final RouteFilter.RateLimit.Limit config, final LongSupplier clockNanos)
    {
        this.config = config;
        key = new RequestKey(config.key());
        intervalNanos = GcraTable.interval(config.period().toNanos(), config.count());
        maxDelayNanos = config.maxDelay().toNanos();
        fieldName = RateLimitFields.string(config.name());
        storePrefix = route + " " + config.name() + " ";
        table = new GcraTable(intervalNanos, config.burst(), config.maxKeys(), clockNanos);
    }

    RouteFilter.RateLimit.Limit config()
    {
        return config;
    }

    String name()
    {
        return config.name();
    }

    String fieldName()
    {
        return fieldName;
    }

    long intervalNanos()
    {
        return intervalNanos;
    }

    /**
     * This proxy's decision for the request (a local limit's, or a global one's when the store
     * failed), or null when the request lacks the key.
     *
     * @param maxDelay whether the limit's {@code max_delay} applies (not to a fallback: a global limit never delays).
     */
    LimitDecision decideLocally(final HttpRequest request, final FilterContext context, final boolean maxDelay)
    {
        final GcraTable counted = table;
        final long hash = key.hash(request, context.client(), context.identity(), counted.seed());
        return hash == RequestKey.ABSENT ? null : counted.decide(hash, maxDelay ? maxDelayNanos : 0);
    }

    /** The key as the shared store counts it, or null when the request lacks it. */
    String storeKey(final HttpRequest request, final FilterContext context)
    {
        final String text = key.text(request, context.client(), context.identity());
        return text == null ? null : storePrefix + text;
    }

    /**
     * Goes on with {@code previous}'s table (a reload) when the two count alike: same key, rate,
     * burst and size; a limit changed in any of these starts afresh.
     */
    void carryOver(final RouteLimit previous)
    {
        final RouteFilter.RateLimit.Limit before = previous.config;
        if (before.key().equals(config.key()) && before.count() == config.count() && before.period().equals(config.period())
            && before.burst() == config.burst() && before.maxKeys() == config.maxKeys())
        {
            table = previous.table;
        }
    }
}
