package io.sluice.l7.route;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.Route;
import io.sluice.l7.ratelimit.SharedLimiter;

import java.util.List;
import java.util.function.Supplier;

/**
 * The configuration's routes in order; a request goes to the first whose match accepts it. Built
 * once per configuration (a reload builds a new one) and immutable, so every event loop calls
 * {@link #match} on the same instance without locks.
 */
public final class Router
{
    private final CompiledRoute[] routes;

    /** Routes without a store for global rate limits. */
    public Router(final List<Route> routes)
    {
        this(routes, () -> null);
    }

    /**
     * @param sharedLimiter the proxy's store for global rate limits ({@link io.sluice.l7.filter.FilterChain#of}).
     * @throws IllegalArgumentException when a route cannot be used, naming it and why.
     */
    public Router(final List<Route> routes, final Supplier<SharedLimiter> sharedLimiter)
    {
        this.routes = routes.stream().map((route) -> new CompiledRoute(route, sharedLimiter)).toArray(CompiledRoute[]::new);
    }

    /** The first route that takes the request, or null when none does (the proxy answers 404). */
    public CompiledRoute match(final HttpRequest request)
    {
        final RequestView view = new RequestView(request);
        for (final CompiledRoute route : routes)
        {
            if (route.matches(view))
            {
                return route;
            }
        }
        return null;
    }

    public List<CompiledRoute> routes()
    {
        return List.of(routes);
    }
}
