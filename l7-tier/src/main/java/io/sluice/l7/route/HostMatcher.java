package io.sluice.l7.route;

/**
 * A route's host condition: an exact name, or {@code *.suffix}, which takes any name ending in
 * {@code .suffix} with at least one label before it ({@code a.example.com} and
 * {@code a.b.example.com}, not {@code example.com}).
 */
final class HostMatcher
{
    private final String exact;
    /** For a wildcard: the suffix with its leading dot ({@code .example.com}); else null. */
    private final String dotSuffix;

    private HostMatcher(final String exact, final String dotSuffix)
    {
        this.exact = exact;
        this.dotSuffix = dotSuffix;
    }

    /** The matcher for a configured host, or null when it takes any host. */
    static HostMatcher of(final String configured)
    {
        if (configured == null || configured.equals("*"))
        {
            return null;
        }
        if (configured.startsWith("*."))
        {
            final String suffix = HostName.canonical(configured.substring(2));
            if (suffix == null)
            {
                throw new IllegalArgumentException("host '" + configured + "' has nothing after '*.'");
            }
            return new HostMatcher(null, "." + suffix);
        }
        final String exact = HostName.canonical(configured);
        if (exact == null)
        {
            throw new IllegalArgumentException("host '" + configured + "' is empty");
        }
        return new HostMatcher(exact, null);
    }

    /** @param host as {@link HostName#fromAuthority} gives it; null when the request has none. */
    boolean matches(final String host)
    {
        if (host == null)
        {
            return false;
        }
        if (exact != null)
        {
            return exact.equals(host);
        }
        final int labelEnd = host.length() - dotSuffix.length();
        return labelEnd > 0 && host.endsWith(dotSuffix) && host.charAt(labelEnd - 1) != '.';
    }
}
