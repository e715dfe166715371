package io.sluice.l7.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.l7.cache.ResponseCache;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /purge?key=K}, {@code ?prefix=/P}, or {@code ?tag=T}, with {@code &route=NAME} to
 * purge one route's cache instead of every route's: what goes from the response caches.
 *
 * @param route null for every route's cache.
 * @param kind  what {@code value} names.
 * @param value a primary key ({@code http://host/path?query}), a path prefix, or a Surrogate-Key tag.
 */
public record CachePurge(String route, Kind kind, String value)
{
    /** What a purge removes: the responses under one key, those whose path has a prefix, or those with a tag. */
    public enum Kind
    {
        KEY, PREFIX, TAG
    }

    /**
     * Purges the caches it names among {@code caches} (by route name).
     *
     * @return how many responses went.
     * @throws IllegalArgumentException when no route has a cache, or the route named has none.
     */
    public int applyTo(final Map<String, ResponseCache> caches)
    {
        if (caches.isEmpty())
        {
            throw new IllegalArgumentException("no route has a cache");
        }
        if (route != null && !caches.containsKey(route))
        {
            throw new IllegalArgumentException("no route '" + route + "' with a cache; routes with one: "
                + String.join(", ", caches.keySet()));
        }
        int purged = 0;
        for (final ResponseCache cache : route == null ? caches.values() : List.of(caches.get(route)))
        {
            purged += switch (kind)
            {
                case KEY -> cache.purgeKey(value);
                case PREFIX -> cache.purgePathPrefix(value);
                case TAG -> cache.purgeTag(value);
            };
        }
        return purged;
    }

    /** @throws IllegalArgumentException with the one line a bad query is answered with. */
    static CachePurge of(final String uri)
    {
        final Map<String, List<String>> parameters = new QueryStringDecoder(uri).parameters();
        String route = null;
        Kind kind = null;
        String value = null;
        for (final Map.Entry<String, List<String>> parameter : parameters.entrySet())
        {
            if (parameter.getValue().size() != 1 || parameter.getValue().getFirst().isEmpty())
            {
                throw new IllegalArgumentException(parameter.getKey() + " takes one value");
            }
            final String given = parameter.getValue().getFirst();
            if (parameter.getKey().equals("route"))
            {
                route = given;
                continue;
            }
            final Kind named = switch (parameter.getKey())
            {
                case "key" -> Kind.KEY;
                case "prefix" -> Kind.PREFIX;
                case "tag" -> Kind.TAG;
                default -> throw new IllegalArgumentException("unknown parameter '" + parameter.getKey()
                    + "'; there are key, prefix, tag and route");
            };
            if (kind != null)
            {
                throw new IllegalArgumentException("one of key, prefix and tag at a time");
            }
            kind = named;
            value = given;
        }
        if (kind == null)
        {
            throw new IllegalArgumentException(
                "purge needs key=KEY, prefix=/PATH or tag=TAG (and route=NAME for one route only)");
        }
        return new CachePurge(route, kind, value);
    }
}
