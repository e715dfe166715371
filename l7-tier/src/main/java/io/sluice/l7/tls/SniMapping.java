package io.sluice.l7.tls;

import java.util.HashMap;
import java.util.Map;

/**
 * The name a client sends (SNI) to the certificates that have it: an exact name first, then a
 * wildcard one label up ({@code *.example.com} covers {@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}, as RFC 6125 6.4.3 has it), then the default
 * certificate; with {@code sni: strict} no default, and the handshake is refused.
 */
final class SniMapping
{
    private final Map<String, CertificateChoice> exact = new HashMap<>();
    /** By the domain a wildcard covers: {@code example.com} for {@code *.example.com}. */
    private final Map<String, CertificateChoice> wildcards = new HashMap<>();
    private final CertificateChoice fallback;

    /**
     * @param byName   each name's certificates, by the name in lower case ({@code a.example}, {@code *.example.com}).
     * @param fallback for a client with no name or one no certificate has; null to refuse it.
     */
    SniMapping(final Map<String, CertificateChoice> byName, final CertificateChoice fallback)
    {
        for (final Map.Entry<String, CertificateChoice> name : byName.entrySet())
        {
            if (name.getKey().startsWith("*."))
            {
                wildcards.put(name.getKey().substring(2), name.getValue());
            }
            else
            {
                exact.put(name.getKey(), name.getValue());
            }
        }
        this.fallback = fallback;
    }

    /** @param hostname as the ClientHello has it, lower case, or null when the client sent none. */
    CertificateChoice choiceFor(final String hostname)
    {
        if (hostname != null)
        {
            final CertificateChoice named = exact.get(hostname);
            if (named != null)
            {
                return named;
            }
            final int dot = hostname.indexOf('.');
            if (dot > 0)
            {
                final CertificateChoice wildcard = wildcards.get(hostname.substring(dot + 1));
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
