package io.sluice.l7.cache;

/**
 * What the cache holds under a key: a {@link StoredResponse}, or, under a primary key whose
 * responses vary, the {@link VaryNames} that say which request headers choose the variant.
 */
sealed interface Cached permits StoredResponse, VaryNames
{
    /** The bytes it takes, as the cache's size counts them. */
    int weight();

    /** It left the cache (evicted, replaced, purged): it lets go of its body. */
    void release();
}
