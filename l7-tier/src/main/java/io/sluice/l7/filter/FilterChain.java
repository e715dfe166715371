package io.sluice.l7.filter;

import io.sluice.l7.cache.ResponseCache;
import io.sluice.l7.config.HeaderRules;
import io.sluice.l7.config.Route;
import io.sluice.l7.config.RouteFilter;
import io.sluice.l7.filter.compress.CompressionFilter;

import java.util.ArrayList;
import java.util.List;

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
     * The route's filters: first those its keys give (the path rewrite, then the request and the
     * response headers), then its {@code filters:} list in order.
     *
     * @param pathPrefix the route's prefix path match (what a prefix rewrite replaces), or null.
     * @throws IllegalArgumentException when a filter cannot be made, naming the route and why.
     */
    public static FilterChain of(final Route route, final String pathPrefix)
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
        if (configured.isEmpty())
        {
            return NONE;
        }
        final List<RequestFilter> requestFilters = new ArrayList<>();
        final List<ResponseFilter> responseFilters = new ArrayList<>();
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
                case RouteFilter.Compress compress ->
                {
                    compression = new CompressionFilter(route.name(), compress);
                    responseFilters.add(compression);
                }
            }
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
