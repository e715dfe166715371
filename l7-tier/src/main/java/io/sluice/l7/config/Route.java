package io.sluice.l7.config;

import java.util.List;

/**
 * One routing rule: what requests it takes and where they go.
 *
 * @param name            for logs and metrics; unique.
 * @param match           which requests; {@link Match#ANY} takes every request.
 * @param to              the pools, with weights (one pool: weight irrelevant; several: a
 *                        weighted split, e.g. a 90/10 canary).
 * @param rewrite         how the path changes on its way to the pool, or null.
 * @param requestHeaders  headers set and removed on the request.
 * @param responseHeaders headers set and removed on the response.
 * @param maxBodyBytes    the largest request body the route takes ({@code max_body}; 413 over it), or null when the
 *                        route sets none and {@code limits.max_body} applies (the record keeps what the file
 *                        says; {@code CompiledRoute#maxBodyBytes} resolves it against the limit).
 * @param filters         the route's {@code filters:} list, in order; they apply after those its keys
 *                        ({@code rewrite}, {@code request_headers}, {@code response_headers}) give. Its
 *                        {@code compress} key's filter is the list's last (it compresses what the others made).
 */
public record Route(
    String name, Match match, List<WeightedPool> to, Rewrite rewrite, HeaderRules requestHeaders, HeaderRules responseHeaders,
    Long maxBodyBytes, List<RouteFilter> filters)
{
    public Route
    {
        to = List.copyOf(to);
        filters = List.copyOf(filters);
    }

    /** A route whose filters, if any, are given by its keys alone. */
    public Route(final String name, final Match match, final List<WeightedPool> to, final Rewrite rewrite,
        final HeaderRules requestHeaders, final HeaderRules responseHeaders, final Long maxBodyBytes)
    {
        this(name, match, to, rewrite, requestHeaders, responseHeaders, maxBodyBytes, List.of());
    }

    /** A pool a route sends to, and its share of the route's requests. */
    public record WeightedPool(String pool, int weight)
    {
    }
}
