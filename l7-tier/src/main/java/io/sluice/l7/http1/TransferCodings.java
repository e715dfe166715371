package io.sluice.l7.http1;

import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.http.RequestRefusedException;

import java.nio.charset.StandardCharsets;

/**
 * What a request's Transfer-Encoding fields say, read as one list across fields (RFC 9110 5.3),
 * and the verdict at the end of the head. The proxy implements one coding, chunked, and forwards
 * a request only when chunked is the last coding and the only one (RFC 9112 6.1, 6.3): anything
 * else is a body whose end the proxy and the backend could find in different places.
 */
final class TransferCodings
{
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.ISO_8859_1);

    private boolean seen;
    private int codings;
    private boolean chunkedSeen;
    private boolean lastChunked;

    boolean seen()
    {
        return seen;
    }

    void reset()
    {
        seen = false;
        codings = 0;
        chunkedSeen = false;
        lastChunked = false;
    }

    /**
     * Adds one field's value (OWS-trimmed, already free of control characters): a list of
     * {@code token *( OWS ";" OWS token BWS "=" BWS ( token / quoted-string ) )}, empty elements ignored.
     * Chunked applied twice is refused at once; the rest waits for {@link #check()}.
     */
    void add(final byte[] bytes, final int from, final int to)
    {
        seen = true;
        final int before = codings;
        int i = from;
        while (i < to)
        {
            i = HttpBytes.skipWhitespace(bytes, i, to);
            if (i == to)
            {
                break;
            }
            if (bytes[i] == ',')
            {
                i++;
                continue;
            }
            final int nameEnd = HttpBytes.skipToken(bytes, i, to);
            if (nameEnd == i)
            {
                throw refused(RequestRefusal.BAD_TRANSFER_ENCODING, "Transfer-Encoding is not a list of transfer codings");
            }
            final int parametersEnd = HttpBytes.skipParameters(bytes, nameEnd, to, true);
            if (parametersEnd < 0)
            {
                throw refused(RequestRefusal.BAD_TRANSFER_ENCODING, "a transfer coding's parameter is malformed");
            }
            final int next = HttpBytes.skipWhitespace(bytes, parametersEnd, to);
            if (next < to && bytes[next] != ',')
            {
                throw refused(RequestRefusal.BAD_TRANSFER_ENCODING, "Transfer-Encoding is not a list of transfer codings");
            }
            final boolean chunked = parametersEnd == nameEnd && HttpBytes.equalsLowerCase(bytes, i, nameEnd - i, CHUNKED);
            if (chunked && chunkedSeen)
            {
                throw refused(RequestRefusal.BAD_TRANSFER_ENCODING, "chunked is applied more than once");
            }
            codings++;
            lastChunked = chunked;
            chunkedSeen |= chunked;
            i = next;
        }
        if (codings == before)
        {
            throw refused(RequestRefusal.BAD_TRANSFER_ENCODING, "Transfer-Encoding is empty");
        }
    }

    /** At the end of the head: chunked, last and alone, or the request is refused. */
    void check()
    {
        if (!lastChunked)
        {
            throw refused(RequestRefusal.BAD_TRANSFER_ENCODING, "the last transfer coding is not chunked");
        }
        if (codings > 1)
        {
            throw refused(RequestRefusal.UNSUPPORTED_TRANSFER_ENCODING, "transfer codings other than chunked are not implemented");
        }
    }

    private static RequestRefusedException refused(final RequestRefusal reason, final String detail)
    {
        return new RequestRefusedException(reason, detail);
    }
}
