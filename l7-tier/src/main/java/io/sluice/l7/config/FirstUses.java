package io.sluice.l7.config;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each value (a name, an address) was first used, so a second use is refused with a
 * pointer to the first.
 */
final class FirstUses<K>
{
    private final Map<K, ConfigNode> firsts = new HashMap<>();

    /** @param at whose {@link ConfigNode#path()} is reported, e.g. {@code listeners[0]}. */
    void claim(final K value, final ConfigNode at, final ConfigNode owner, final String description)
    {
        final ConfigNode first = firsts.putIfAbsent(value, owner);
        if (first != null)
        {
            throw at.error(description + " is already used by " + first.path());
        }
    }
}
