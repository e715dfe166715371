package io.sluice.l7.http1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The byte classes of RFC 9110 and RFC 9112, as tables indexed by the unsigned byte: the parser
 * asks one question per byte on its hot path, with no branching on ranges.
 */
final class HttpBytes
{
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    /** RFC 9110 5.6.2 tchar: field names, methods, transfer codings, chunk extension names. */
    private static final boolean[] TOKEN = new boolean[256];
    /**
     * What a request-target may carry (RFC 9112 3.2; RFC 3986 characters are all visible ASCII):
     * 0x21-0x7E without '#', since a fragment is never sent (RFC 9110 4.2.4) and a backend that
     * cut at it would route a different path than the proxy did.
     */
    private static final boolean[] TARGET = new boolean[256];
    /** RFC 9110 5.5 field-value octets: VCHAR, SP, HTAB and obs-text (0x80-0xFF); no other control. */
    private static final boolean[] FIELD_VALUE = new boolean[256];
    /** RFC 9110 5.6.4 qdtext: HTAB, SP, 0x21, 0x23-0x5B, 0x5D-0x7E, obs-text. */
    private static final boolean[] QDTEXT = new boolean[256];
    /** HEXDIG's value, or -1. */
    private static final byte[] HEX = new byte[256];

    /** Eight bytes of an array at a time, for the checks that most bytes pass. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final long SPACES = 0x2020_2020_2020_2020L;
    private static final long DELS = 0x7F7F_7F7F_7F7F_7F7FL;

    static
    {
        for (int c = 0; c < 256; c++)
        {
            final boolean alphaNumeric = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            TOKEN[c] = alphaNumeric || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            TARGET[c] = c >= 0x21 && c <= 0x7E && c != '#';
            FIELD_VALUE[c] = (c >= 0x20 && c != 0x7F) || c == HTAB;
            QDTEXT[c] = c == HTAB || c == SP || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E) || c >= 0x80;
            HEX[c] = (byte)Character.digit(c, 16);
            if (c >= 0x80)
            {
                HEX[c] = -1; // Character.digit knows other scripts' digits
            }
        }
    }

    private HttpBytes()
    {
    }

    static long longAt(final byte[] bytes, final int index)
    {
        return (long)LONGS.get(bytes, index);
    }

    /**
     * Whether any of eight bytes is a control character: below 0x20 (HTAB included) or 0x7F. A
     * field value is mostly visible characters, so eight of its bytes are passed with one test and
     * only a word with a control (usually HTAB) is looked at byte by byte. Exact: bytes 0x80-0xFF
     * (obs-text) are never flagged, because a byte below 0x20 is the lowest to borrow.
     */
    static boolean anyControl(final long word)
    {
        final long dels = word ^ DELS;
        return ((((word - SPACES) & ~word) | ((dels - ONES) & ~dels)) & HIGH_BITS) != 0;
    }

    /** Whether bytes[from, from + length) equal expected[0, length). */
    static boolean sameBytes(final byte[] bytes, final int from, final byte[] expected, final int length)
    {
        if (length >= 8)
        {
            int i = 0;
            for (; i + 8 <= length; i += 8)
            {
                if (longAt(bytes, from + i) != longAt(expected, i))
                {
                    return false;
                }
            }
            return i == length || longAt(bytes, from + length - 8) == longAt(expected, length - 8);
        }
        for (int i = 0; i < length; i++)
        {
            if (bytes[from + i] != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    static boolean isToken(final byte b)
    {
        return TOKEN[b & 0xFF];
    }

    static boolean isTarget(final byte b)
    {
        return TARGET[b & 0xFF];
    }

    static boolean isFieldValue(final byte b)
    {
        return FIELD_VALUE[b & 0xFF];
    }

    /** RFC 9110 5.6.3 OWS / BWS. */
    static boolean isWhitespace(final byte b)
    {
        return b == SP || b == HTAB;
    }

    static int hexValue(final byte b)
    {
        return HEX[b & 0xFF];
    }

    /** The index after the token that starts at {@code from} (equal to {@code from} when there is none). */
    static int skipToken(final byte[] bytes, final int from, final int to)
    {
        int i = from;
        while (i < to && TOKEN[bytes[i] & 0xFF])
        {
            i++;
        }
        return i;
    }

    static int skipWhitespace(final byte[] bytes, final int from, final int to)
    {
        int i = from;
        while (i < to && isWhitespace(bytes[i]))
        {
            i++;
        }
        return i;
    }

    /**
     * The index after the quoted-string (RFC 9110 5.6.4) that starts at {@code from}, or -1 when
     * it is not one (unterminated, or a byte neither qdtext nor a valid quoted-pair).
     */
    static int skipQuotedString(final byte[] bytes, final int from, final int to)
    {
        if (from >= to || bytes[from] != '"')
        {
            return -1;
        }
        int i = from + 1;
        while (i < to)
        {
            final byte b = bytes[i];
            if (b == '"')
            {
                return i + 1;
            }
            if (b == '\\')
            {
                if (i + 1 == to || !isFieldValue(bytes[i + 1]))
                {
                    return -1;
                }
                i += 2;
            }
            else if (QDTEXT[b & 0xFF])
            {
                i++;
            }
            else
            {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Parameters in RFC 9112's shape: {@code *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )}, as chunk
     * extensions (7.1.1) and, with the value required, transfer-coding parameters (7) are written.
     *
     * @return the index after the last whole parameter (what follows is not another one: the caller
     *     decides whether it may), or -1 when a parameter was begun and is malformed.
     */
    static int skipParameters(final byte[] bytes, final int from, final int to, final boolean valueRequired)
    {
        int end = from;
        while (true)
        {
            int i = skipWhitespace(bytes, end, to);
            if (i == to || bytes[i] != ';')
            {
                return end;
            }
            i = skipWhitespace(bytes, i + 1, to);
            final int nameEnd = skipToken(bytes, i, to);
            if (nameEnd == i)
            {
                return -1;
            }
            i = skipWhitespace(bytes, nameEnd, to);
            if (i < to && bytes[i] == '=')
            {
                i = skipWhitespace(bytes, i + 1, to);
                final int valueEnd = i < to && bytes[i] == '"' ? skipQuotedString(bytes, i, to) : skipToken(bytes, i, to);
                if (valueEnd <= i)
                {
                    return -1;
                }
                end = valueEnd;
            }
            else if (valueRequired)
            {
                return -1;
            }
            else
            {
                end = nameEnd;
            }
        }
    }

    /**
     * Whether the token at bytes[from, from + length) is {@code lowerCase} in any case. {@code lowerCase} holds only
     * letters and '-': for those, setting bit 0x20 of a token byte is an unambiguous case fold.
     */
    static boolean equalsLowerCase(final byte[] bytes, final int from, final int length, final byte[] lowerCase)
    {
        if (length != lowerCase.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if ((bytes[from + i] | 0x20) != lowerCase[i])
            {
                return false;
            }
        }
        return true;
    }
}
