package io.sluice.l7.filter;

import io.sluice.l7.auth.Authentication;
import io.sluice.l7.cache.ResponseCache;
import io.sluice.l7.config.HeaderRules;
import io.sluice.l7.config.Route;
import io.sluice.l7.config.RouteFilter;
import io.sluice.l7.filter.compress.CompressionFilter;
import io.sluice.l7.ratelimit.RateLimitFilter;
import io.sluice.l7.ratelimit.SharedLimiter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * A route's request and response filters, in the order they apply, made once per configuration
 * and shared by every event loop. Plain arrays walked by index, so an exchange keeps its place
 * with an int and a route without filters ({@link #NONE}) costs nothing per request.
 */
public final class FilterChain
{
    public static final FilterChain NONE = new FilterChain(List.of(), List.of());

    private final RequestFilter[] requestFilters;
    private final ResponseFilter[] responseFilters;

    public FilterChain(final List<RequestFilter> requestFilters, final List<ResponseFilter> responseFilters)
    {
        this.requestFilters = requestFilters.toArray(new RequestFilter[0]);
        this.responseFilters = responseFilters.toArray(new ResponseFilter[0]);
    }

    /**
     * The route's filters: its authentication ({@code auth}) first, then those its keys give (the
     * path rewrite, then the request and the response headers), then its {@code filters:} list in order.
     *
     * @param pathPrefix    the route's prefix path match (what a prefix rewrite replaces), or null.
     * @param sharedLimiter the proxy's store for global rate limits, read per decision (it gives null while there is none).
     * @throws IllegalArgumentException when a filter cannot be made, naming the route and why.
     */
    public static FilterChain of(final Route route, final String pathPrefix, final Supplier<SharedLimiter> sharedLimiter)
    {
        final List<RouteFilter> configured = new ArrayList<>();
        if (route.rewrite() != null)
        {
            configured.add(new RouteFilter.PathRewrite(route.rewrite()));
        }
        if (route.requestHeaders() != null && !route.requestHeaders().equals(HeaderRules.NONE))
        {
            configured.add(new RouteFilter.RequestHeaders(route.requestHeaders()));
        }
        if (route.responseHeaders() != null && !route.responseHeaders().equals(HeaderRules.NONE))
        {
            configured.add(new RouteFilter.ResponseHeaders(route.responseHeaders()));
        }
        configured.addAll(route.filters());
        // Authentication before everything, the route's own keys too: nothing of the request is worked on for a client
        // that has not shown who it is, and later filters (a rate limit keyed on a claim) read the identity it sets.
        configured.sort(Comparator.comparing(filter -> !(filter instanceof RouteFilter.Auth)));
        if (configured.isEmpty())
        {
            return NONE;
        }
        final List<RequestFilter> requestFilters = new ArrayList<>();
        final List<ResponseFilter> responseFilters = new ArrayList<>();
        // The RateLimit fields are this request's own: added after the others, so a cache never stores them.
        ResponseFilter rateLimitFields = null;
        // The cache comes after the compression (it keeps what the client gets): it keys Accept-Encoding by its choice.
        CompressionFilter compression = null;
        for (final RouteFilter filter : configured)
        {
            switch (filter)
            {
                case RouteFilter.PathRewrite rewrite ->
                    requestFilters.add(new PathRewriteFilter(route.name(), rewrite.rewrite(), pathPrefix));
                case RouteFilter.RequestHeaders headers -> requestFilters.add(new HeaderRulesFilter(headers.rules()));
                case RouteFilter.ResponseHeaders headers -> responseFilters.add(new HeaderRulesFilter(headers.rules()));
                case RouteFilter.ClientCertificateHeaders headers -> requestFilters.add(new ClientCertificateHeaders(headers));
                case RouteFilter.Cache cache ->
                {
                    final ResponseCache responseCache = new ResponseCache(route.name(), cache.settings(),
                        compression == null ? null : compression::codingFor);
                    requestFilters.add(responseCache);
                    responseFilters.add(responseCache);
                }
                case RouteFilter.Auth auth -> requestFilters.add(Authentication.filter(route.name(), auth.settings()));
                case RouteFilter.Compress compress ->
                {
                    compression = new CompressionFilter(route.name(), compress);
                    responseFilters.add(compression);
                }
                case RouteFilter.RateLimit rateLimit ->
                {
                    final RateLimitFilter limits = new RateLimitFilter(route.name(), rateLimit, sharedLimiter, System::nanoTime);
                    requestFilters.add(limits);
                    rateLimitFields = limits;
                }
            }
        }
        if (rateLimitFields != null)
        {
            responseFilters.add(rateLimitFields);
        }
        return new FilterChain(requestFilters, responseFilters);
    }

    public int requestFilters()
    {
        return requestFilters.length;
    }

    public RequestFilter requestFilter(final int index)
    {
        return requestFilters[index];
    }

    public int responseFilters()
    {
        return responseFilters.length;
    }

    public ResponseFilter responseFilter(final int index)
    {
        return responseFilters[index];
    }
}
