package io.sluice.l7.config;

import java.util.List;
import java.util.Map;

/**
 * One filter a route names, with its argument as read from the file: the route's
 * {@code filters:} list, and its older keys ({@code rewrite}, {@code request_headers},
 * {@code response_headers}), are read into these. The proxy makes each into a request or
 * response filter of the route's chain ({@code io.sluice.l7.filter.FilterChain}); a new kind of
 * filter is a record here, a name in {@link FilterReader} and a case there.
 */
public sealed interface RouteFilter
{
    /** {@code request_headers: { set, remove }}: headers removed, then set, on the request. */
    record RequestHeaders(HeaderRules rules) implements RouteFilter
    {
    }

    /** {@code response_headers: { set, remove }}: headers removed, then set, on the response. */
    record ResponseHeaders(HeaderRules rules) implements RouteFilter
    {
    }

    /** {@code rewrite: { prefix } | { regex, substitution }}: the path on its way to the pool. */
    record PathRewrite(Rewrite rewrite) implements RouteFilter
    {
    }

    /**
     * {@code client_cert_headers: { subject: NAME, sans: NAME }}: the verified client
     * certificate's subject and subjectAltNames to the backend in these headers (either may be null).
     */
    record ClientCertificateHeaders(String subject, String sans) implements RouteFilter
    {
    }

    /** {@code cache: { size, max_object, default_ttl, key, ... }}: a shared HTTP cache in front of the route's pools. */
    record Cache(CacheSettings settings) implements RouteFilter
    {
    }

    /**
     * {@code compress: { algorithms, min_size, types, levels, sse }}: responses compressed with the first
     * of {@code codings} (the route's preference) among those the client accepts most.
     *
     * @param codings      the codings the route offers, most preferred first; never empty.
     * @param minSizeBytes bodies shorter than this go out as they are (a streamed body is held up to it).
     * @param types        the media ranges compressed: {@code type/subtype}, {@code type/*}, {@code type/*+suffix}; lower case.
     * @param levels       a level for each coding the route offers.
     * @param flushEventStreams {@code sse: flush}: server-sent events compressed too, each chunk flushed as it comes
     *                     (by default they are not compressed).
     */
    record Compress(List<ContentCoding> codings, int minSizeBytes, List<String> types, Map<ContentCoding, Integer> levels,
        boolean flushEventStreams) implements RouteFilter
    {
        public Compress
        {
            codings = List.copyOf(codings);
            types = List.copyOf(types);
            levels = Map.copyOf(levels);
        }

        /** Event streams left as they are (the default). */
        public Compress(final List<ContentCoding> codings, final int minSizeBytes, final List<String> types,
            final Map<ContentCoding, Integer> levels)
        {
            this(codings, minSizeBytes, types, levels, false);
        }
    }
}
