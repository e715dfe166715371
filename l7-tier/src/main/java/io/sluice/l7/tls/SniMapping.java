package io.sluice.l7.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The name a client sends (SNI) to the context of the certificate that has it: an exact name
 * first, then a wildcard one label up ({@code *.example.com} covers {@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}, as RFC 6125 6.4.3 has it), then the default
 * certificate; with {@code sni: strict} no default, and the handshake is refused.
 */
final class SniMapping implements Mapping<String, SslContext>
{
    private final Map<String, SslContext> exact = new HashMap<>();
    /** By the domain a wildcard covers: {@code example.com} for {@code *.example.com}. */
    private final Map<String, SslContext> wildcards = new HashMap<>();
    private final SslContext fallback;

    /**
     * @param names    each context's names, lower case ({@code a.example}, {@code *.example.com}).
     * @param fallback for a client with no name or one no certificate has; null to refuse it.
     */
    SniMapping(final Map<SslContext, List<String>> names, final SslContext fallback)
    {
        for (final Map.Entry<SslContext, List<String>> context : names.entrySet())
        {
            for (final String name : context.getValue())
            {
                if (name.startsWith("*."))
                {
                    wildcards.put(name.substring(2), context.getKey());
                }
                else
                {
                    exact.put(name, context.getKey());
                }
            }
        }
        this.fallback = fallback;
    }

    /** @param hostname as Netty's SNI handler passes it: lower case, or null when the client sent none. */
    @Override
    public SslContext map(final String hostname)
    {
        if (hostname != null)
        {
            final SslContext named = exact.get(hostname);
            if (named != null)
            {
                return named;
            }
            final int dot = hostname.indexOf('.');
            if (dot > 0)
            {
                final SslContext wildcard = wildcards.get(hostname.substring(dot + 1));
                if (wildcard != null)
                {
                    return wildcard;
                }
            }
        }
        if (fallback == null)
        {
            throw new SniRefusedException(hostname);
        }
        return fallback;
    }
}
