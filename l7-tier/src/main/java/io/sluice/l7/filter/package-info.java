/**
 * Filters of a route: {@link io.sluice.l7.filter.RequestFilter}s that may change a request head
 * or answer the request themselves (at once, or later without blocking the event loop), and
 * {@link io.sluice.l7.filter.ResponseFilter}s that may change a response's headers and transform
 * its streamed body through a {@link io.sluice.l7.filter.BodyTransformer}, and that hear how an
 * exchange without a backend response ended (the proxy's own 5xx, which they may replace, or a
 * break-off). A filter may send a request of its own in the background
 * ({@link io.sluice.l7.filter.FilterContext#background}), whose response no client waits for. A route's
 * {@link io.sluice.l7.filter.FilterChain} is built once from its configuration
 * ({@code config.RouteFilter}); the proxy's exchange runs it and gives the filters a
 * {@link io.sluice.l7.filter.FilterContext}. The first filters are the route's
 * header rules and path rewrite. It uses {@code config} and {@code http}, and knows nothing of the proxy.
 */
package io.sluice.l7.filter;
