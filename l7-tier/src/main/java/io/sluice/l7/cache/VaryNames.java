package io.sluice.l7.cache;

import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;

/**
 * The request headers a primary key's responses vary on (their Vary field, lower case, in
 * order), and how a request's values of them are compared ({@link VaryValue}). Stored under the
 * primary key; each variant is under the primary key, this record's generation and those
 * headers' values ({@link #variantKey}), so a lookup is two map reads. A new generation for
 * every new VaryNames means the variants of one that was replaced, purged or invalidated are
 * never found again (they wait for eviction, unreachable).
 */
record VaryNames(List<String> names, VaryValue values, long generation) implements Cached
{
    /** Between a primary key and the rest of a variant's key; never in a primary key (whose parts are lines). */
    static final String SEPARATOR = "\n\n";
    /** A key's bookkeeping: about the size of its map entry. */
    private static final int WEIGHT = 64;

    VaryNames
    {
        names = List.copyOf(names);
    }

    /** The variant a request chooses. */
    String variantKey(final String primaryKey, final HttpHeaders request)
    {
        final StringBuilder key = new StringBuilder(primaryKey).append(SEPARATOR).append(generation);
        for (final String name : names)
        {
            key.append('\n').append(name).append(": ").append(values.of(request, name));
        }
        return key.toString();
    }

    /** The variant of a response whose request had these values of {@link #names}, in order. */
    String variantKey(final String primaryKey, final List<String> requestValues)
    {
        final StringBuilder key = new StringBuilder(primaryKey).append(SEPARATOR).append(generation);
        for (int i = 0; i < names.size(); i++)
        {
            key.append('\n').append(names.get(i)).append(": ").append(requestValues.get(i));
        }
        return key.toString();
    }

    @Override
    public int weight()
    {
        return WEIGHT + names.stream().mapToInt(String::length).sum();
    }

    @Override
    public void release()
    {
        // nothing held
    }
}
