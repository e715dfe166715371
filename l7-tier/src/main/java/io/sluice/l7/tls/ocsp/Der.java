package io.sluice.l7.tls.ocsp;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Reads DER (X.690's distinguished encoding) strictly, one element after another within one
 * enclosing element: single-byte tags, definite minimal lengths, nothing left over. What breaks
 * a rule is an {@link IllegalArgumentException} saying which; a file that is not what it should
 * be is refused, never half read.
 */
final class Der
{
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int ENUMERATED = 0x0a;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    /** Lengths above this are not in any OCSP response a file holds (and would overflow an int). */
    private static final int MAX_LENGTH_BYTES = 3;

    private final byte[] bytes;
    private final int end;
    private int at;

    private Der(final byte[] bytes, final int from, final int end)
    {
        this.bytes = bytes;
        this.at = from;
        this.end = end;
    }

    /** A reader of the elements {@code bytes} holds, from its first byte to its last. */
    static Der of(final byte[] bytes)
    {
        return new Der(bytes, 0, bytes.length);
    }

    /** A context-specific, constructed tag: {@code [n]} EXPLICIT, or IMPLICIT over a SEQUENCE. */
    static int constructed(final int number)
    {
        return 0xa0 | number;
    }

    /** A context-specific, primitive tag: {@code [n]} IMPLICIT over a primitive type. */
    static int primitive(final int number)
    {
        return 0x80 | number;
    }

    boolean hasMore()
    {
        return at < end;
    }

    /** Whether the next element has this tag (for an OPTIONAL or a CHOICE). */
    boolean nextIs(final int tag)
    {
        return at < end && (bytes[at] & 0xff) == tag;
    }

    /** The next element, which must have this tag. */
    Element read(final int tag, final String what)
    {
        if (at >= end)
        {
            throw new IllegalArgumentException(what + " is missing");
        }
        final int found = bytes[at] & 0xff;
        if (found != tag)
        {
            throw new IllegalArgumentException(what + " has tag 0x" + Integer.toHexString(found) + ", not 0x"
                + Integer.toHexString(tag));
        }
        final int headerAt = at;
        int cursor = at + 1;
        if (cursor >= end)
        {
            throw new IllegalArgumentException(what + " is cut short");
        }
        final int first = bytes[cursor++] & 0xff;
        int length = first;
        if (first >= 0x80)
        {
            final int count = first & 0x7f;
            if (count == 0 || count > MAX_LENGTH_BYTES || end - cursor < count || bytes[cursor] == 0)
            {
                throw new IllegalArgumentException(what + " has a length that is not DER");
            }
            length = 0;
            for (int i = 0; i < count; i++)
            {
                length = (length << 8) | (bytes[cursor++] & 0xff);
            }
            if (length < 0x80)
            {
                throw new IllegalArgumentException(what + " has a length that is not DER");
            }
        }
        if (end - cursor < length)
        {
            throw new IllegalArgumentException(what + " is cut short");
        }
        at = cursor + length;
        return new Element(bytes, headerAt, cursor, at, what);
    }

    /** The enclosing element must end here. */
    void finish(final String what)
    {
        if (at != end)
        {
            throw new IllegalArgumentException(what + " is followed by other bytes (" + (end - at) + ")");
        }
    }

    /**
     * One element.
     *
     * @param headerAt where its tag is.
     * @param valueAt  where its contents start.
     * @param end      where it ends.
     * @param what     its name, for messages.
     */
    record Element(byte[] bytes, int headerAt, int valueAt, int end, String what)
    {
        /** A reader of the elements inside it (a SEQUENCE's, an EXPLICIT tag's). */
        Der contents()
        {
            return new Der(bytes, valueAt, end);
        }

        byte[] value()
        {
            return Arrays.copyOfRange(bytes, valueAt, end);
        }

        /** Tag, length and contents: what a signature covers. */
        byte[] encoded()
        {
            return Arrays.copyOfRange(bytes, headerAt, end);
        }

        BigInteger integer()
        {
            final int length = end - valueAt;
            if (length == 0 || length > 1 && (bytes[valueAt] == 0 && bytes[valueAt + 1] >= 0
                || bytes[valueAt] == -1 && bytes[valueAt + 1] < 0))
            {
                throw new IllegalArgumentException(what + " is not a DER INTEGER");
            }
            return new BigInteger(bytes, valueAt, length);
        }

        /** An ENUMERATED's small value. */
        int enumerated()
        {
            final BigInteger value = integer();
            if (value.signum() < 0 || value.bitLength() > 8)
            {
                throw new IllegalArgumentException(what + " is out of range");
            }
            return value.intValue();
        }

        /** A BIT STRING's bits, which must be whole bytes (as keys and signatures are). */
        byte[] bits()
        {
            if (end - valueAt < 1 || bytes[valueAt] != 0)
            {
                throw new IllegalArgumentException(what + " is not a BIT STRING of whole bytes");
            }
            return Arrays.copyOfRange(bytes, valueAt + 1, end);
        }

        /** An OBJECT IDENTIFIER in dotted form ({@code 1.3.6.1.5.5.7.48.1.1}). */
        String oid()
        {
            if (end == valueAt || (bytes[end - 1] & 0x80) != 0)
            {
                throw new IllegalArgumentException(what + " is not an OBJECT IDENTIFIER");
            }
            final StringBuilder dotted = new StringBuilder();
            long arc = 0;
            boolean first = true;
            for (int i = valueAt; i < end; i++)
            {
                final int b = bytes[i] & 0xff;
                if (arc == 0 && b == 0x80 || arc > Long.MAX_VALUE >> 7)
                {
                    throw new IllegalArgumentException(what + " is not a DER OBJECT IDENTIFIER");
                }
                arc = (arc << 7) | (b & 0x7f);
                if ((b & 0x80) == 0)
                {
                    if (first)
                    {
                        final long top = Math.min(arc / 40, 2);
                        dotted.append(top).append('.').append(arc - 40 * top);
                        first = false;
                    }
                    else
                    {
                        dotted.append('.').append(arc);
                    }
                    arc = 0;
                }
            }
            return dotted.toString();
        }

        /** A GeneralizedTime as DER has it: {@code YYYYMMDDHHMMSS[.fff]Z}, in UTC. */
        Instant generalizedTime()
        {
            final String text = new String(bytes, valueAt, end - valueAt, StandardCharsets.US_ASCII);
            if (!text.matches("[0-9]{14}(\\.[0-9]*[1-9])?Z"))
            {
                throw new IllegalArgumentException(what + " '" + text + "' is not a DER GeneralizedTime");
            }
            try
            {
                final LocalDateTime time = LocalDateTime.of(Integer.parseInt(text.substring(0, 4)),
                    Integer.parseInt(text.substring(4, 6)), Integer.parseInt(text.substring(6, 8)),
                    Integer.parseInt(text.substring(8, 10)), Integer.parseInt(text.substring(10, 12)),
                    Integer.parseInt(text.substring(12, 14)));
                return time.toInstant(ZoneOffset.UTC);
            }
            catch (final DateTimeException ex)
            {
                throw new IllegalArgumentException(what + " '" + text + "' is not a date");
            }
        }
    }
}
