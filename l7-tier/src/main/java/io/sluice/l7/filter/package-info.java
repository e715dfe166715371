/**
 * Filters of a route: {@link io.sluice.l7.filter.RequestFilter}s that may change a request head
 * or answer the request themselves (at once, or later without blocking the event loop), and
 * {@link io.sluice.l7.filter.ResponseFilter}s that may change a response's headers and transform
 * its streamed body through a {@link io.sluice.l7.filter.BodyTransformer}. A route's
 * {@link io.sluice.l7.filter.FilterChain} is built once from its configuration
 * ({@code config.RouteFilter}); the proxy's exchange runs it and gives the filters a
 * {@link io.sluice.l7.filter.FilterContext}. The first filters are the route's
 * header rules and path rewrite. It uses {@code config} and {@code http}, and knows nothing of the proxy.
 */
package io.sluice.l7.filter;
