package io.sluice.l7.http1;

import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.http.RequestRefusedException;

/**
 * A Content-Length value (RFC 9110 8.6, RFC 9112 6.3): 1*DIGIT and at most 2^63-1. No sign, no
 * space, no list: a backend that reads {@code 5, 5} or {@code +5} differently from the proxy
 * frames the body differently, and what it takes for a second request is the smuggled one.
 */
final class ContentLength
{
    private ContentLength()
    {
    }

    /** The length bytes[from, to) (OWS-trimmed) gives, leading zeros allowed, or a refusal. */
    static long parse(final byte[] bytes, final int from, final int to)
    {
        if (from == to)
        {
            throw new RequestRefusedException(RequestRefusal.BAD_CONTENT_LENGTH, "Content-Length is empty");
        }
        long length = 0;
        for (int i = from; i < to; i++)
        {
            final int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9)
            {
                for (int j = from; j < to; j++)
                {
                    if (bytes[j] == ',')
                    {
                        throw new RequestRefusedException(RequestRefusal.DUPLICATE_CONTENT_LENGTH, "Content-Length is a list");
                    }
                }
                throw new RequestRefusedException(RequestRefusal.BAD_CONTENT_LENGTH, "Content-Length is not a decimal number");
            }
            if (length > (Long.MAX_VALUE - digit) / 10)
            {
                throw new RequestRefusedException(RequestRefusal.BAD_CONTENT_LENGTH, "Content-Length is over 2^63-1");
            }
            length = length * 10 + digit;
        }
        return length;
    }
}
