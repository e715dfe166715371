package io.sluice.l7.route;

import io.sluice.l7.config.Route;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.ratelimit.SharedLimiter;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A configured {@link Route} made ready for requests: its match compiled, its pool split and
 * its filters (path rewrite, header rules, ...) made. Immutable; every event loop uses the same instance.
 */
public final class CompiledRoute
{
    private final Route route;
    private final RequestMatcher matcher;
    private final PoolSplit split;
    private final FilterChain filters;
    /** The route's max_body unboxed, or -1 when it sets none: read per request, so no Long on that path. */
    private final long maxBodyBytes;

    /** A route without a store for global rate limits. */
    public CompiledRoute(final Route route)
    {
        this(route, () -> null);
    }

    /**
     * @param sharedLimiter the proxy's store for global rate limits ({@link FilterChain#of}).
     * @throws IllegalArgumentException when the route cannot be used, naming it and why.
     */
    public CompiledRoute(final Route route, final Supplier<SharedLimiter> sharedLimiter)
    {
        this.route = route;
        matcher = new RequestMatcher(route.match());
        split = new PoolSplit(route.name(), route.to());
        filters = FilterChain.of(route, matcher.pathPrefix(), sharedLimiter);
        maxBodyBytes = route.maxBodyBytes() == null ? -1 : route.maxBodyBytes();
    }

    /** For logs and metrics. */
    public String name()
    {
        return route.name();
    }

    public Route route()
    {
        return route;
    }

    /** The pool for this request: the only one, or a draw weighted by the route's split. */
    public String choosePool()
    {
        return split.choose(ThreadLocalRandom.current());
    }

    /** {@link #choosePool()} with the caller's random source (tests use a seeded one). */
    public String choosePool(final RandomGenerator random)
    {
        return split.choose(random);
    }

    /**
     * The largest request body this route takes (413 over it): its own {@code max_body}, else
     * {@code otherwise}, the configuration's {@code limits.max_body}.
     */
    public long maxBodyBytes(final long otherwise)
    {
        return maxBodyBytes < 0 ? otherwise : maxBodyBytes;
    }

    /** The route's request and response filters. */
    public FilterChain filters()
    {
        return filters;
    }

    boolean matches(final RequestView request)
    {
        return matcher.matches(request);
    }

    boolean needsClaims()
    {
        return matcher.needsClaims();
    }

    boolean matches(final RequestView request, final Identity identity)
    {
        return matcher.matches(request, identity);
    }

    @Override
    public String toString()
    {
        return "route '" + route.name() + "'";
    }
}
