package io.sluice.l7.filter.compress;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.l7.config.ContentCoding;

import java.util.List;

/**
 * The client's {@code Accept-Encoding} (RFC 9110 12.5.3) weighed against a route's codings: each
 * coding's quality is its own entry's q (gzip's also {@code x-gzip}'s, RFC 9110 8.4.1.3), else
 * {@code *}'s, else 0; q=0 refuses it. The coding with the highest quality wins, ties going to
 * the route's preference. A request without the header gets no coding: the RFC would allow any,
 * but a client that says nothing (curl without --compressed, a script) seldom decodes one, and
 * HAProxy, nginx and Envoy all compress only when asked.
 */
final class AcceptEncoding
{
    /** Qualities are in thousandths (q has at most three decimals). */
    private static final int ONE = 1000;
    private static final int ABSENT = -1;
    private static final int MALFORMED = -2;
    private static final String X_GZIP = "x-gzip";

    private AcceptEncoding()
    {
    }

    /** @return the coding to use, or null when the client takes none of {@code offered}. */
    static ContentCoding choose(final HttpHeaders headers, final ContentCoding[] offered)
    {
        final List<String> values = headers.getAll(HttpHeaderNames.ACCEPT_ENCODING);
        if (values.isEmpty())
        {
            return null;
        }
        ContentCoding best = null;
        int bestQuality = 0;
        for (final ContentCoding coding : offered)
        {
            final int quality = quality(values, coding);
            if (quality > bestQuality)
            {
                best = coding;
                bestQuality = quality;
            }
        }
        return best;
    }

    /** The coding's quality in thousandths: its own entry's (the highest, if named twice), else {@code *}'s, else 0. */
    static int quality(final List<String> values, final ContentCoding coding)
    {
        int own = ABSENT;
        int any = ABSENT;
        for (final String value : values)
        {
            int at = 0;
            while (at < value.length())
            {
                at = skip(value, at, ", \t");
                final int nameEnd = until(value, at, ",; \t");
                if (nameEnd == at)
                {
                    at = until(value, at, ","); // a stray ';': the element is malformed, skip it
                    continue;
                }
                final int parameters = nameEnd;
                final int end = until(value, parameters, ",");
                final int quality = quality(value, parameters, end);
                if (quality != MALFORMED)
                {
                    final boolean thisCoding = named(value, at, nameEnd, coding.token())
                        || coding == ContentCoding.GZIP && named(value, at, nameEnd, X_GZIP);
                    if (thisCoding)
                    {
                        own = Math.max(own, quality);
                    }
                    else if (nameEnd - at == 1 && value.charAt(at) == '*')
                    {
                        any = Math.max(any, quality);
                    }
                }
                at = end;
            }
        }
        return own != ABSENT ? own : Math.max(any, 0);
    }

    /** The q of one element's parameters ({@code ;q=0.5}), 1 without one; MALFORMED when q is not a qvalue. */
    private static int quality(final String value, final int from, final int end)
    {
        int at = from;
        while (at < end)
        {
            at = skip(value, at, " \t");
            if (at >= end || value.charAt(at) != ';')
            {
                return at >= end ? ONE : MALFORMED;
            }
            at = skip(value, at + 1, " \t");
            final int nameEnd = until(value, at, "=;, \t");
            final int parameterEnd = until(value, nameEnd, ";,");
            if (nameEnd - at == 1 && (value.charAt(at) == 'q' || value.charAt(at) == 'Q'))
            {
                if (nameEnd >= end || value.charAt(nameEnd) != '=')
                {
                    return MALFORMED;
                }
                return qvalue(value.substring(nameEnd + 1, parameterEnd).strip());
            }
            at = parameterEnd;
        }
        return ONE;
    }

    /** RFC 9110 12.4.2: {@code 0[.ddd]} or {@code 1[.000]}, in thousandths; MALFORMED otherwise. */
    static int qvalue(final String text)
    {
        if (text.isEmpty() || text.length() > 5 || text.charAt(0) != '0' && text.charAt(0) != '1'
            || text.length() > 1 && text.charAt(1) != '.')
        {
            return MALFORMED;
        }
        int thousandths = (text.charAt(0) - '0') * ONE;
        int scale = 100;
        for (int i = 2; i < text.length(); i++, scale /= 10)
        {
            final char digit = text.charAt(i);
            if (digit < '0' || digit > '9')
            {
                return MALFORMED;
            }
            thousandths += (digit - '0') * scale;
        }
        return thousandths > ONE ? MALFORMED : thousandths;
    }

    private static boolean named(final String value, final int from, final int to, final String token)
    {
        return to - from == token.length() && value.regionMatches(true, from, token, 0, token.length());
    }

    private static int skip(final String value, final int from, final String characters)
    {
        int at = from;
        while (at < value.length() && characters.indexOf(value.charAt(at)) >= 0)
        {
            at++;
        }
        return at;
    }

    private static int until(final String value, final int from, final String characters)
    {
        int at = from;
        while (at < value.length() && characters.indexOf(value.charAt(at)) < 0)
        {
            at++;
        }
        return at;
    }
}
