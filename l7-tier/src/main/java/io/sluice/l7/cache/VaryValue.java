package io.sluice.l7.cache;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.function.Function;

/**
 * A request's value of one header its response varies on, as the cache compares it to choose a
 * variant: the header's value as written ({@link #AS_WRITTEN}, list elements trimmed), or for
 * {@code Accept-Encoding} on a route that compresses, the coding the route's compression chooses
 * for it ({@link #byCoding}), so that {@code gzip, deflate, br} and {@code br;q=1, gzip} share the
 * one br variant instead of one variant per way of writing the header.
 */
@FunctionalInterface
interface VaryValue
{
    VaryValue AS_WRITTEN = CacheKey::joined;

    /** The Vary field name (lower case) this keys by the coding chosen. */
    String ACCEPT_ENCODING = "accept-encoding";
    /** The coding of a body without a Content-Encoding. */
    String IDENTITY = "identity";

    /** @param name lower case. */
    String of(HttpHeaders request, String name);

    /** Accept-Encoding by the coding {@code coding} gives for the request (its token, or identity); other headers as written. */
    static VaryValue byCoding(final Function<HttpHeaders, String> coding)
    {
        return (request, name) -> ACCEPT_ENCODING.equals(name) ? coding.apply(request) : CacheKey.joined(request, name);
    }
}
