package io.sluice.l7.route;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.config.Route;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.ratelimit.SharedLimiter;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The configuration's routes in order; a request goes to the first whose match accepts it. Built
 * once per configuration (a reload builds a new one) and immutable, so every event loop calls
 * {@link #match} on the same instance without locks. A route that matches on claims takes a
 * request only when it is routed again with the identity its first route's authentication
 * proved ({@link #routeAgain}, Envoy's {@code clear_route_cache}).
 */
public final class Router
{
    private final CompiledRoute[] routes;
    /** Whether any route matches on claims: without one, routing again is one field read. */
    private final boolean claimRoutes;

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
        claimRoutes = Arrays.stream(this.routes).anyMatch(CompiledRoute::needsClaims);
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

    /**
     * The request routed again once {@code current}'s authentication proved {@code identity}: the first route
     * that matches on claims and takes the request with them, among those before {@code current} (the others
     * before it did not take the request, which their matches judge alone, and none after it is reached while
     * it matches); null when the request stays on {@code current}.
     */
    public CompiledRoute routeAgain(final HttpRequest request, final Identity identity, final CompiledRoute current)
    {
        if (!claimRoutes)
        {
            return null;
        }
        RequestView view = null;
        for (final CompiledRoute route : routes)
        {
            if (route == current)
            {
                return null;
            }
            if (route.needsClaims())
            {
                view = view == null ? new RequestView(request) : view;
                if (route.matches(view, identity))
                {
                    return route;
                }
            }
        }
        return null;
    }

    public List<CompiledRoute> routes()
    {
        return List.of(routes);
    }
}
