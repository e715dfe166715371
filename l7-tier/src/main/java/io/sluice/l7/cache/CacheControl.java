package io.sluice.l7.cache;

import java.util.List;
import java.util.Locale;

/**
 * The Cache-Control directives a shared cache acts on (RFC 9111 section 5.2, and RFC 5861's
 * stale-while-revalidate and stale-if-error), read from every Cache-Control field of a request or
 * a response: a response's, and a request's {@code max-age}, {@code max-stale}, {@code min-fresh},
 * {@code only-if-cached}, {@code no-cache}, {@code no-store} and {@code stale-if-error}. Text that is not the field's grammar
 * ({@code directive[=token|"quoted"]}, comma separated; delta-seconds as digits) makes the whole
 * field {@link #malformed}: a response with one is not stored, since what its sender meant is a guess.
 * Unknown directives are ignored, as the RFC asks.
 */
record CacheControl(boolean noStore, boolean noCache, boolean isPrivate, boolean isPublic, boolean mustRevalidate,
    boolean proxyRevalidate, long maxAge, long sMaxAge, long staleWhileRevalidate, long staleIfError, long maxStale,
    long minFresh, boolean onlyIfCached, boolean malformed)
{
    /** A missing delta-seconds directive. */
    static final long ABSENT = -1;
    /** A request's {@code max-stale} without a value: a stale response of any age will do (RFC 9111 5.2.1.2). */
    static final long ANY_STALENESS = 1L << 31;
    /** RFC 9111 1.2.2: a delta-seconds too large to hold is taken as 2^31. */
    private static final long DELTA_SECONDS_CAP = 1L << 31;
    /** A delta-seconds directive whose argument is missing or not digits: the field is malformed. */
    private static final long MALFORMED_DELTA = -2;

    static final CacheControl NONE = new CacheControl(false, false, false, false, false, false, ABSENT, ABSENT, ABSENT, ABSENT,
        ABSENT, ABSENT, false, false);

    /** Every field's directives together; no field at all is {@link #NONE}. */
    static CacheControl parse(final List<String> fields)
    {
        if (fields.isEmpty())
        {
            return NONE;
        }
        final Builder builder = new Builder();
        for (final String field : fields)
        {
            if (!builder.read(field))
            {
                return new CacheControl(false, false, false, false, false, false, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT,
                    false, true);
            }
        }
        return builder.build();
    }

    /** The response may be served stale at all (no must-revalidate, and for a shared cache no proxy-revalidate, no s-maxage). */
    boolean mayServeStale()
    {
        return !mustRevalidate && !proxyRevalidate && sMaxAge == ABSENT;
    }

    /** RFC 9111 3.5: a response to a request with Authorization may be stored and served to others. */
    boolean allowsAuthorized()
    {
        return isPublic || mustRevalidate || sMaxAge != ABSENT;
    }

    /** Directives as one field's text is scanned; false from {@link #read} ends it as malformed. */
    private static final class Builder
    {
        private boolean noStore;
        private boolean noCache;
        private boolean isPrivate;
        private boolean isPublic;
        private boolean mustRevalidate;
        private boolean proxyRevalidate;
        private long maxAge = ABSENT;
        private long sMaxAge = ABSENT;
        private long staleWhileRevalidate = ABSENT;
        private long staleIfError = ABSENT;
        private long maxStale = ABSENT;
        private long minFresh = ABSENT;
        private boolean onlyIfCached;

        boolean read(final String field)
        {
            int i = 0;
            final int end = field.length();
            while (i < end)
            {
                i = skipSpace(field, i);
                if (i < end && field.charAt(i) == ',')
                {
                    i++; // an empty list element: allowed (RFC 9110 5.6.1)
                    continue;
                }
                if (i == end)
                {
                    break;
                }
                final int nameStart = i;
                while (i < end && isTokenChar(field.charAt(i)))
                {
                    i++;
                }
                if (i == nameStart)
                {
                    return false;
                }
                final String name = field.substring(nameStart, i).toLowerCase(Locale.ROOT);
                String argument = null;
                if (i < end && field.charAt(i) == '=')
                {
                    i++;
                    if (i < end && field.charAt(i) == '"')
                    {
                        final StringBuilder quoted = new StringBuilder();
                        i++;
                        while (i < end && field.charAt(i) != '"')
                        {
                            if (field.charAt(i) == '\\' && i + 1 < end)
                            {
                                i++;
                            }
                            quoted.append(field.charAt(i++));
                        }
                        if (i == end)
                        {
                            return false; // unterminated quoted-string
                        }
                        i++;
                        argument = quoted.toString();
                    }
                    else
                    {
                        final int valueStart = i;
                        while (i < end && isTokenChar(field.charAt(i)))
                        {
                            i++;
                        }
                        if (i == valueStart)
                        {
                            return false;
                        }
                        argument = field.substring(valueStart, i);
                    }
                }
                i = skipSpace(field, i);
                if (i < end && field.charAt(i) != ',')
                {
                    return false; // two directives without a comma between them, or a stray character
                }
                if (!directive(name, argument))
                {
                    return false;
                }
            }
            return true;
        }

        /** False when a directive that takes delta-seconds has none, or not digits. */
        private boolean directive(final String name, final String argument)
        {
            switch (name)
            {
                case "no-store" -> noStore = true;
                case "no-cache" -> noCache = true; // with field names too: a shared cache then revalidates the whole response
                case "private" -> isPrivate = true;
                case "public" -> isPublic = true;
                case "must-revalidate" -> mustRevalidate = true;
                case "proxy-revalidate" -> proxyRevalidate = true;
                case "max-age" -> maxAge = deltaSeconds(argument);
                case "s-maxage" -> sMaxAge = deltaSeconds(argument);
                case "stale-while-revalidate" -> staleWhileRevalidate = deltaSeconds(argument);
                case "stale-if-error" -> staleIfError = deltaSeconds(argument);
                case "max-stale" -> maxStale = argument == null ? ANY_STALENESS : deltaSeconds(argument);
                case "min-fresh" -> minFresh = deltaSeconds(argument);
                case "only-if-cached" -> onlyIfCached = true;
                default ->
                {
                    return true; // an extension this cache does not know
                }
            }
            return maxAge != MALFORMED_DELTA && sMaxAge != MALFORMED_DELTA && staleWhileRevalidate != MALFORMED_DELTA
                && staleIfError != MALFORMED_DELTA && maxStale != MALFORMED_DELTA && minFresh != MALFORMED_DELTA;
        }

        /** Digits, as seconds (capped), or {@link #MALFORMED_DELTA}. */
        private static long deltaSeconds(final String argument)
        {
            if (argument == null || argument.isEmpty())
            {
                return MALFORMED_DELTA;
            }
            long value = 0;
            for (int i = 0; i < argument.length(); i++)
            {
                final char c = argument.charAt(i);
                if (c < '0' || c > '9')
                {
                    return MALFORMED_DELTA;
                }
                value = Math.min(DELTA_SECONDS_CAP, value * 10 + (c - '0'));
            }
            return value;
        }

        CacheControl build()
        {
            return new CacheControl(noStore, noCache, isPrivate, isPublic, mustRevalidate, proxyRevalidate, maxAge, sMaxAge,
                staleWhileRevalidate, staleIfError, maxStale, minFresh, onlyIfCached, false);
        }

        private static int skipSpace(final String field, final int from)
        {
            int i = from;
            while (i < field.length() && (field.charAt(i) == ' ' || field.charAt(i) == '\t'))
            {
                i++;
            }
            return i;
        }

        private static boolean isTokenChar(final char c)
        {
            return c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
        }
    }
}
