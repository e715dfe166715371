package io.sluice.l7.config;

import java.util.Map;

/** A mapping whose keys were checked against the schema: look its values up by key. */
final class ConfigMapping
{
    private final ConfigNode node;
    private final Map<String, ConfigNode.Entry> entries;

    ConfigMapping(final ConfigNode node, final Map<String, ConfigNode.Entry> entries)
    {
        this.node = node;
        this.entries = entries;
    }

    /** The mapping itself, for errors about it as a whole. */
    ConfigNode node()
    {
        return node;
    }

    boolean has(final String key)
    {
        return entries.containsKey(key);
    }

    /** @return the value, or null when the key is absent. */
    ConfigNode optional(final String key)
    {
        final ConfigNode.Entry entry = entries.get(key);
        return entry == null ? null : entry.value();
    }

    /** @return the value; an absent key is an error on the mapping's line. */
    ConfigNode required(final String key)
    {
        final ConfigNode.Entry entry = entries.get(key);
        if (entry == null)
        {
            throw node.childError(key, "missing");
        }
        return entry.value();
    }

    /** The key's node (rather than its value's), for errors about a key's presence. */
    ConfigNode key(final String key)
    {
        return entries.get(key).key();
    }
}
