package io.sluice.l7.route;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.sluice.l7.config.HeaderRules;

import java.util.Map;

/** {@link HeaderRules} applied to a request's or a response's headers: removals, then sets. */
final class HeaderRewriter
{
    private final AsciiString[] removals;
    private final AsciiString[] setNames;
    private final String[] setValues;

    HeaderRewriter(final HeaderRules rules)
    {
        final HeaderRules given = rules == null ? HeaderRules.NONE : rules;
        removals = given.remove().stream().map(AsciiString::cached).toArray(AsciiString[]::new);
        setNames = new AsciiString[given.set().size()];
        setValues = new String[given.set().size()];
        int i = 0;
        for (final Map.Entry<String, String> entry : given.set().entrySet())
        {
            setNames[i] = AsciiString.cached(entry.getKey());
            setValues[i] = entry.getValue();
            i++;
        }
    }

    void apply(final HttpHeaders headers)
    {
        for (final AsciiString name : removals)
        {
            headers.remove(name);
        }
        for (int i = 0; i < setNames.length; i++)
        {
            headers.set(setNames[i], setValues[i]);
        }
    }
}
