package io.sluice.l7.http1;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.http.RequestRefusedException;

import java.nio.charset.StandardCharsets;

import static io.sluice.l7.http1.HttpBytes.CR;

/**
 * The request line (RFC 9112 3): {@code method SP request-target SP HTTP-version}, single
 * spaces, nothing else. The first byte that breaks it decides the reason: a missing part or
 * stray whitespace is the line's shape (BAD_REQUEST_LINE), otherwise the part it is in. Which
 * target forms a method may use is the router's question, not the parser's.
 */
final class RequestLine
{
    private static final byte[] GET = bytes("GET");
    private static final byte[] PUT = bytes("PUT");
    private static final byte[] POST = bytes("POST");
    private static final byte[] HEAD = bytes("HEAD");
    private static final byte[] DELETE = bytes("DELETE");
    private static final byte[] OPTIONS = bytes("OPTIONS");
    private static final byte[] PATCH = bytes("PATCH");

    private RequestLine()
    {
    }

    /**
     * Parses bytes[from, to), the line without its CRLF, into a request with {@code headers} (still
     * empty), or refuses it.
     */
    static DefaultHttpRequest parse(final byte[] bytes, final int from, final int to, final HttpHeaders headers)
    {
        final int methodEnd = HttpBytes.skipToken(bytes, from, to);
        if (methodEnd == from || methodEnd == to || bytes[methodEnd] != HttpBytes.SP)
        {
            throw requestLineRefusal(bytes, methodEnd, to, RequestRefusal.BAD_METHOD, "the method is not a token");
        }
        final int targetStart = methodEnd + 1;
        int targetEnd = targetStart;
        while (targetEnd < to && HttpBytes.isTarget(bytes[targetEnd]))
        {
            targetEnd++;
        }
        if (targetEnd == targetStart || targetEnd == to || bytes[targetEnd] != HttpBytes.SP)
        {
            throw requestLineRefusal(bytes, targetEnd, to, RequestRefusal.BAD_TARGET,
                "the request-target has a byte outside 0x21-0x7E, or a '#'");
        }
        final HttpVersion version = version(bytes, targetEnd + 1, to);
        final HttpMethod method = method(bytes, from, methodEnd - from);
        final String uri = new String(bytes, targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);
        // Netty checks the target again (no SP, CR, LF), and will check any target set later: kept, as a second guard.
        return new DefaultHttpRequest(version, method, uri, headers);
    }

    /** Why the request line broke off at {@code at}. */
    private static RequestRefusedException requestLineRefusal(final byte[] bytes, final int at, final int to, final RequestRefusal reason,
        final String detail)
    {
        if (at == to)
        {
            return new RequestRefusedException(RequestRefusal.BAD_REQUEST_LINE, "the request line is not method SP target SP version");
        }
        final byte b = bytes[at];
        if (b == CR)
        {
            return FieldLine.bareCr();
        }
        if (HttpBytes.isWhitespace(b))
        {
            return new RequestRefusedException(RequestRefusal.BAD_REQUEST_LINE, "the request line is not method SP target SP version");
        }
        return new RequestRefusedException(reason, detail);
    }

    /** RFC 9112 2.3: {@code HTTP/} DIGIT {@code .} DIGIT, of which this proxy speaks 1.0 and 1.1. */
    private static HttpVersion version(final byte[] bytes, final int from, final int to)
    {
        if (to - from == 8 && bytes[from] == 'H' && bytes[from + 1] == 'T' && bytes[from + 2] == 'T' && bytes[from + 3] == 'P'
            && bytes[from + 4] == '/' && isDigit(bytes[from + 5]) && bytes[from + 6] == '.' && isDigit(bytes[from + 7]))
        {
            if (bytes[from + 5] == '1' && bytes[from + 7] == '1')
            {
                return HttpVersion.HTTP_1_1;
            }
            if (bytes[from + 5] == '1' && bytes[from + 7] == '0')
            {
                return HttpVersion.HTTP_1_0;
            }
            throw new RequestRefusedException(RequestRefusal.UNSUPPORTED_VERSION, "only HTTP/1.0 and HTTP/1.1 are spoken here");
        }
        for (int i = from; i < to; i++)
        {
            final byte b = bytes[i];
            if (b == CR)
            {
                throw FieldLine.bareCr();
            }
            if (HttpBytes.isWhitespace(b))
            {
                throw new RequestRefusedException(RequestRefusal.BAD_REQUEST_LINE, "the request line is not method SP target SP version");
            }
        }
        if (from == to)
        {
            throw new RequestRefusedException(RequestRefusal.BAD_REQUEST_LINE, "the request line is not method SP target SP version");
        }
        throw new RequestRefusedException(RequestRefusal.BAD_VERSION, "the version is not HTTP/DIGIT.DIGIT");
    }

    private static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    /** The common methods without making a String first; HttpMethod.valueOf has the rest (and caches the standard ones). */
    private static HttpMethod method(final byte[] bytes, final int from, final int length)
    {
        switch (length)
        {
            case 3:
                if (matches(bytes, from, GET))
                {
                    return HttpMethod.GET;
                }
                if (matches(bytes, from, PUT))
                {
                    return HttpMethod.PUT;
                }
                break;
            case 4:
                if (matches(bytes, from, POST))
                {
                    return HttpMethod.POST;
                }
                if (matches(bytes, from, HEAD))
                {
                    return HttpMethod.HEAD;
                }
                break;
            case 5:
                if (matches(bytes, from, PATCH))
                {
                    return HttpMethod.PATCH;
                }
                break;
            case 6:
                if (matches(bytes, from, DELETE))
                {
                    return HttpMethod.DELETE;
                }
                break;
            case 7:
                if (matches(bytes, from, OPTIONS))
                {
                    return HttpMethod.OPTIONS;
                }
                break;
            default:
                break;
        }
        return HttpMethod.valueOf(new String(bytes, from, length, StandardCharsets.ISO_8859_1));
    }

    private static boolean matches(final byte[] bytes, final int from, final byte[] expected)
    {
        for (int i = 0; i < expected.length; i++)
        {
            if (bytes[from + i] != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
