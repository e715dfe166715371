package io.sluice.l7.filter;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import io.sluice.l7.config.HeaderRules;

import java.util.Map;

/**
 * {@link HeaderRules} applied to a request's or a response's headers: removals, then sets. The
 * {@code request_headers} and {@code response_headers} filters; request ones see the head after
 * the proxy's own X-Forwarded-* and X-Request-Id, so a route may override those.
 */
final class HeaderRulesFilter implements RequestFilter, ResponseFilter
{
    private final AsciiString[] removals;
    private final AsciiString[] setNames;
    private final String[] setValues;

    HeaderRulesFilter(final HeaderRules rules)
    {
        removals = rules.remove().stream().map(AsciiString::cached).toArray(AsciiString[]::new);
        setNames = new AsciiString[rules.set().size()];
        setValues = new String[rules.set().size()];
        int i = 0;
        for (final Map.Entry<String, String> entry : rules.set().entrySet())
        {
            setNames[i] = AsciiString.cached(entry.getKey());
            setValues[i] = entry.getValue();
            i++;
        }
    }

    @Override
    public Outcome onRequest(final HttpRequest request, final FilterContext context)
    {
        apply(request.headers());
        return Outcome.CONTINUE;
    }

    @Override
    public BodyTransformer onResponse(final HttpResponse response, final FilterContext context)
    {
        apply(response.headers());
        return null;
    }

    private void apply(final HttpHeaders headers)
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
