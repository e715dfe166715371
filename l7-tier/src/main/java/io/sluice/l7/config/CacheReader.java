package io.sluice.l7.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A route's {@code cache:} ({@link CacheSettings}); every key is optional, with {@link CacheSettings#DEFAULTS}. */
final class CacheReader
{
    /** Caffeine weighs entries in ints, and a body is copied into one array. */
    private static final long MAX_OBJECT = Sizes.GIB;
    private static final long MAX_SIZE = 1024 * Sizes.GIB;

    private CacheReader()
    {
    }

    /** {@code cache: { size, max_object, default_ttl, key: { query, headers }, store_set_cookie, coalesce_timeout }}. */
    static CacheSettings cache(final ConfigNode node)
    {
        final CacheSettings defaults = CacheSettings.DEFAULTS;
        final ConfigMapping fields = node.mapping("size", "max_object", "default_ttl", "key", "store_set_cookie",
            "coalesce_timeout");
        final ConfigNode sizeNode = fields.optional("size");
        final long size = sizeNode == null ? defaults.sizeBytes() : sizeNode.size(Sizes.KIB, MAX_SIZE);
        final ConfigNode maxObjectNode = fields.optional("max_object");
        final long maxObject = maxObjectNode == null ? Math.min(defaults.maxObjectBytes(), size)
            : maxObjectNode.size(1, MAX_OBJECT);
        if (maxObject > size)
        {
            throw maxObjectNode.error(maxObjectNode.text() + " is more than the cache's size (" + Sizes.format(size) + ")");
        }
        final ConfigNode ttlNode = fields.optional("default_ttl");
        final Duration defaultTtl = ttlNode == null ? defaults.defaultTtl() : ttlNode.parse(Durations::parse);
        boolean normaliseQuery = defaults.normaliseQuery();
        List<String> keyHeaders = defaults.keyHeaders();
        final ConfigNode keyNode = fields.optional("key");
        if (keyNode != null)
        {
            final ConfigMapping key = keyNode.mapping("query", "headers");
            final ConfigNode queryNode = key.optional("query");
            if (queryNode != null)
            {
                normaliseQuery = switch (queryNode.text())
                {
                    case "normalised" -> true;
                    case "as-is" -> false;
                    default -> throw queryNode.error("'" + queryNode.text() + "' is not normalised or as-is");
                };
            }
            final ConfigNode headersNode = key.optional("headers");
            if (headersNode != null)
            {
                final List<String> names = new ArrayList<>();
                final FirstUses<String> uses = new FirstUses<>();
                for (final ConfigNode item : headersNode.list())
                {
                    final String name = item.parse(HttpSyntax::headerName).toLowerCase(Locale.ROOT);
                    uses.claim(name, item, item, "'" + name + "'");
                    names.add(name);
                }
                keyHeaders = names;
            }
        }
        final ConfigNode setCookieNode = fields.optional("store_set_cookie");
        final boolean storeSetCookie = setCookieNode == null ? defaults.storeSetCookie() : setCookieNode.bool();
        final ConfigNode coalesceNode = fields.optional("coalesce_timeout");
        final Duration coalesceTimeout = coalesceNode == null ? defaults.coalesceTimeout() : coalesceNode.parse(Durations::parse);
        return new CacheSettings(size, maxObject, defaultTtl, normaliseQuery, keyHeaders, storeSetCookie, coalesceTimeout);
    }
}
