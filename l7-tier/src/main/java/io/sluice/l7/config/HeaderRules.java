package io.sluice.l7.config;

import java.util.List;
import java.util.Map;

/**
 * Headers changed on a request or a response: {@code set} replaces (or adds) a header,
 * {@code remove} deletes every header of that name. Removals happen before sets.
 */
public record HeaderRules(Map<String, String> set, List<String> remove)
{
    public static final HeaderRules NONE = new HeaderRules(Map.of(), List.of());

    public HeaderRules
    {
        set = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(set));
        remove = List.copyOf(remove);
    }
}
