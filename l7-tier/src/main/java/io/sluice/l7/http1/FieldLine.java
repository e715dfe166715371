package io.sluice.l7.http1;

import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.http.RequestRefusedException;

/**
 * Splits one field line (RFC 9112 5: {@code field-name ":" OWS field-value OWS}) of a head or of
 * trailers, or refuses it. The first byte that breaks the grammar decides the reason; a CR inside
 * a line (the LF that ends it was already found) is a bare CR. One instance per decoder, reused:
 * the parts are offsets into the line's bytes.
 */
final class FieldLine
{
    private int nameEnd;
    private int valueStart;
    private int valueEnd;

    /** Parses bytes[from, to), the line without its CRLF (never empty: an empty line ends the section). */
    void parse(final byte[] bytes, final int from, final int to)
    {
        final byte first = bytes[from];
        if (HttpBytes.isWhitespace(first))
        {
            // RFC 9112 5.2: a server must refuse obs-fold or replace it; replacing means
            // forwarding a field the client's other readers saw as two lines.
            throw new RequestRefusedException(RequestRefusal.OBSOLETE_LINE_FOLDING, "a header line starts with whitespace (obs-fold)");
        }
        final int colon = HttpBytes.skipToken(bytes, from, to);
        if (colon == to || bytes[colon] != ':')
        {
            if (colon < to && bytes[colon] == HttpBytes.CR)
            {
                throw bareCr();
            }
            // RFC 9112 5.1: no whitespace between name and colon; a proxy must refuse it, not strip it.
            throw new RequestRefusedException(RequestRefusal.BAD_HEADER_NAME, "a header name is not a token followed by ':'");
        }
        if (colon == from)
        {
            throw new RequestRefusedException(RequestRefusal.BAD_HEADER_NAME, "a header name is empty");
        }
        final int start = HttpBytes.skipWhitespace(bytes, colon + 1, to);
        int i = start;
        for (; i + 8 <= to; i += 8)
        {
            if (HttpBytes.anyControl(HttpBytes.longAt(bytes, i)))
            {
                checkValue(bytes, i, i + 8);
            }
        }
        checkValue(bytes, i, to);
        int end = to;
        while (end > start && HttpBytes.isWhitespace(bytes[end - 1]))
        {
            end--;
        }
        nameEnd = colon;
        valueStart = start;
        valueEnd = end;
    }

    private static void checkValue(final byte[] bytes, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final byte b = bytes[i];
            if (!HttpBytes.isFieldValue(b))
            {
                if (b == HttpBytes.CR)
                {
                    throw bareCr();
                }
                throw new RequestRefusedException(RequestRefusal.BAD_HEADER_VALUE, "a header value has a control character");
            }
        }
    }

    static RequestRefusedException bareCr()
    {
        return new RequestRefusedException(RequestRefusal.BAD_LINE_ENDING, "a CR not followed by LF");
    }

    int nameEnd()
    {
        return nameEnd;
    }

    int valueStart()
    {
        return valueStart;
    }

    int valueEnd()
    {
        return valueEnd;
    }
}
