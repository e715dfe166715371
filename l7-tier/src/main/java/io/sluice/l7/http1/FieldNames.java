package io.sluice.l7.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Field names as the parser hands them on: the client's own bytes, in its case (a proxy does not
 * rewrite what it forwards), as {@link AsciiString}s, which Netty's header map hashes once and
 * its encoder copies as bytes. The names nearly every request carries, in the two spellings
 * clients use, are constants found by a small hash table, so the commonest headers cost no
 * allocation; the lower-case ones are Netty's own {@link HttpHeaderNames} instances.
 */
final class FieldNames
{
    static final int OTHER = 0;
    static final int CONTENT_LENGTH = 1;
    static final int TRANSFER_ENCODING = 2;

    private static final int SLOTS = 256;
    private static final byte[][] BYTES = new byte[SLOTS][];
    private static final AsciiString[] NAMES = new AsciiString[SLOTS];
    private static final int[] KINDS = new int[SLOTS];
    private static final byte[] CONTENT_LENGTH_LOWER = bytes("content-length");
    private static final byte[] TRANSFER_ENCODING_LOWER = bytes("transfer-encoding");

    /** Fields a trailer may not carry (RFC 9110 6.5.1): they frame, route, authenticate or control the request. */
    private static final byte[][] FORBIDDEN_IN_TRAILERS = {
        bytes("content-length"), bytes("transfer-encoding"), bytes("trailer"), bytes("host"), bytes("connection"),
        bytes("keep-alive"), bytes("proxy-connection"), bytes("te"), bytes("upgrade"), bytes("authorization"),
        bytes("proxy-authorization"), bytes("cookie"), bytes("expect"), bytes("content-type"), bytes("content-encoding"),
        bytes("content-range"), bytes("max-forwards") };

    static
    {
        final AsciiString[] lowerCase = {
            HttpHeaderNames.HOST, HttpHeaderNames.USER_AGENT, HttpHeaderNames.ACCEPT, HttpHeaderNames.ACCEPT_ENCODING,
            HttpHeaderNames.ACCEPT_LANGUAGE, HttpHeaderNames.ACCEPT_CHARSET, HttpHeaderNames.CONNECTION, HttpHeaderNames.CONTENT_LENGTH,
            HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_ENCODING, HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.COOKIE,
            HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.PRAGMA, HttpHeaderNames.REFERER, HttpHeaderNames.ORIGIN,
            HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.UPGRADE, HttpHeaderNames.UPGRADE_INSECURE_REQUESTS,
            HttpHeaderNames.IF_NONE_MATCH, HttpHeaderNames.IF_MODIFIED_SINCE, HttpHeaderNames.RANGE, HttpHeaderNames.EXPECT,
            HttpHeaderNames.TE, AsciiString.cached("keep-alive"), AsciiString.cached("x-forwarded-for"),
            AsciiString.cached("x-forwarded-proto"), AsciiString.cached("x-forwarded-host"), HttpHeaderNames.X_REQUESTED_WITH,
            HttpHeaderNames.SEC_WEBSOCKET_KEY,
            HttpHeaderNames.SEC_WEBSOCKET_VERSION, HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL,
            HttpHeaderNames.VIA, HttpHeaderNames.DATE, HttpHeaderNames.TRAILER, HttpHeaderNames.PROXY_AUTHORIZATION,
            AsciiString.cached("x-real-ip"), AsciiString.cached("x-request-id"), AsciiString.cached("dnt"),
            AsciiString.cached("sec-fetch-dest"), AsciiString.cached("sec-fetch-mode"), AsciiString.cached("sec-fetch-site"),
            AsciiString.cached("sec-fetch-user"), AsciiString.cached("sec-ch-ua"), AsciiString.cached("sec-ch-ua-mobile"),
            AsciiString.cached("sec-ch-ua-platform"), AsciiString.cached("priority"), AsciiString.cached("forwarded") };
        for (final AsciiString name : lowerCase)
        {
            add(name);
            add(AsciiString.cached(titleCase(name.toString())));
        }
        add(AsciiString.cached("X-Real-IP"));
        add(AsciiString.cached("DNT"));
        add(AsciiString.cached("TE"));
        add(AsciiString.cached("Sec-WebSocket-Key"));
        add(AsciiString.cached("Sec-WebSocket-Version"));
        add(AsciiString.cached("Sec-WebSocket-Extensions"));
        add(AsciiString.cached("Sec-WebSocket-Protocol"));
    }

    private FieldNames()
    {
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String titleCase(final String lowerCase)
    {
        final char[] chars = lowerCase.toCharArray();
        for (int i = 0; i < chars.length; i++)
        {
            if (i == 0 || chars[i - 1] == '-')
            {
                chars[i] = Character.toUpperCase(chars[i]);
            }
        }
        return new String(chars);
    }

    private static void add(final AsciiString name)
    {
        final byte[] bytes = name.toByteArray();
        int slot = hash(bytes, 0, bytes.length);
        while (BYTES[slot] != null)
        {
            if (Arrays.equals(BYTES[slot], bytes))
            {
                return;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        BYTES[slot] = bytes;
        NAMES[slot] = name;
        KINDS[slot] = kindOf(bytes, 0, bytes.length);
    }

    private static int hash(final byte[] bytes, final int from, final int length)
    {
        return (length * 31 + bytes[from] * 7 + bytes[from + (length >> 1)] * 3 + bytes[from + length - 1]) & (SLOTS - 1);
    }

    /** The slot of a known name (its exact bytes), or -1. */
    static int slot(final byte[] bytes, final int from, final int length)
    {
        int slot = hash(bytes, from, length);
        byte[] candidate;
        while ((candidate = BYTES[slot]) != null)
        {
            if (candidate.length == length && HttpBytes.sameBytes(bytes, from, candidate, length))
            {
                return slot;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        return -1;
    }

    static AsciiString name(final int slot)
    {
        return NAMES[slot];
    }

    static int kind(final int slot)
    {
        return KINDS[slot];
    }

    /** {@link #CONTENT_LENGTH}, {@link #TRANSFER_ENCODING} (in any case) or {@link #OTHER}, for a name that is a token. */
    static int kindOf(final byte[] bytes, final int from, final int length)
    {
        if (HttpBytes.equalsLowerCase(bytes, from, length, CONTENT_LENGTH_LOWER))
        {
            return CONTENT_LENGTH;
        }
        if (HttpBytes.equalsLowerCase(bytes, from, length, TRANSFER_ENCODING_LOWER))
        {
            return TRANSFER_ENCODING;
        }
        return OTHER;
    }

    /** Whether a trailer may not carry this field (in any case). */
    static boolean forbiddenInTrailers(final byte[] bytes, final int from, final int length)
    {
        for (final byte[] forbidden : FORBIDDEN_IN_TRAILERS)
        {
            if (HttpBytes.equalsLowerCase(bytes, from, length, forbidden))
            {
                return true;
            }
        }
        return false;
    }
}
