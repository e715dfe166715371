package io.sluice.l7.ratelimit;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import io.sluice.l7.config.RouteFilter;
import io.sluice.l7.filter.Identity;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.List;

/**
 * A limit's key for one request: the values of its parts (the client's address or prefix, a
 * header, a cookie, a claim, the API key's name), or nothing when the request lacks one of them,
 * in which case the limit does not apply to it (as Envoy does with a descriptor whose header is
 * missing). As a 64-bit hash for this proxy's table, computed from the values where they lie
 * (the header's string, the address's bytes) and seeded per limit, so that nobody can choose
 * values that crowd one corner of it; or as text for the shared store.
 */
final class RequestKey
{
    /** What {@link #hash} returns for a request without the key. */
    static final long ABSENT = 0;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final String API_KEY_SCHEME = "api_key";

    private final List<RouteFilter.RateLimit.KeyPart> parts;
    /** The header parts' names, ready for lookups, by part index (null for other kinds). */
    private final AsciiString[] headerNames;

    RequestKey(final List<RouteFilter.RateLimit.KeyPart> parts)
    {
        this.parts = List.copyOf(parts);
        headerNames = new AsciiString[parts.size()];
        for (int i = 0; i < parts.size(); i++)
        {
            if (parts.get(i) instanceof RouteFilter.RateLimit.Header header)
            {
                headerNames[i] = AsciiString.cached(header.name());
            }
        }
    }

    /**
     * The key's hash with {@code seed}, never {@link #ABSENT}; or {@link #ABSENT} when the request lacks a part.
     *
     * @param client   the client's address (its connection's, or the PROXY protocol's).
     * @param identity who the request is from, as an authentication filter of the route set it; or null.
     */
    long hash(final HttpRequest request, final InetSocketAddress client, final Identity identity, final long seed)
    {
        long hash = seed;
        for (int i = 0; i < parts.size(); i++)
        {
            if (parts.get(i) instanceof RouteFilter.RateLimit.ClientAddress prefix)
            {
                final byte[] address = address(client);
                if (address == null)
                {
                    return ABSENT;
                }
                final int bits = bits(prefix, address);
                for (int b = 0; b < address.length; b++)
                {
                    hash = (hash ^ (masked(address, b, bits) & 0xFF)) * FNV_PRIME;
                }
                hash = (hash ^ bits) * FNV_PRIME;
            }
            else
            {
                final String value = value(i, request, identity);
                if (value == null)
                {
                    return ABSENT;
                }
                for (int c = 0; c < value.length(); c++)
                {
                    hash = (hash ^ value.charAt(c)) * FNV_PRIME;
                }
                // The length ends each part: ("ab", "c") and ("a", "bc") differ.
                hash = (hash ^ (0x10000 | value.length())) * FNV_PRIME;
            }
        }
        final long mixed = mix(hash);
        return mixed == ABSENT ? 1 : mixed;
    }

    /**
     * The key as text, each part's length before it ({@code 14:198.18.0.0/24 9:tenant-42}), so no
     * value can pass for two; null when the request lacks a part.
     */
    String text(final HttpRequest request, final InetSocketAddress client, final Identity identity)
    {
        final StringBuilder text = new StringBuilder(64);
        for (int i = 0; i < parts.size(); i++)
        {
            final String value;
            if (parts.get(i) instanceof RouteFilter.RateLimit.ClientAddress prefix)
            {
                final byte[] address = address(client);
                value = address == null ? null : prefixText(address, bits(prefix, address));
            }
            else
            {
                value = value(i, request, identity);
            }
            if (value == null)
            {
                return null;
            }
            text.append(i == 0 ? "" : " ").append(value.length()).append(':').append(value);
        }
        return text.toString();
    }

    /** The value of part {@code index} (not an address), or null when the request has none. */
    private String value(final int index, final HttpRequest request, final Identity identity)
    {
        return switch (parts.get(index))
        {
            case RouteFilter.RateLimit.Header _ -> request.headers().get(headerNames[index]);
            case RouteFilter.RateLimit.Cookie cookie -> cookie(request, cookie.name());
            case RouteFilter.RateLimit.Claim claim -> identity == null ? null : identity.claims().get(claim.name());
            case RouteFilter.RateLimit.ApiKey _ ->
                identity != null && API_KEY_SCHEME.equals(identity.scheme()) ? identity.name() : null;
            case RouteFilter.RateLimit.ClientAddress _ -> throw new IllegalStateException("an address has bytes, not text");
        };
    }

    private static byte[] address(final InetSocketAddress client)
    {
        return client == null || client.getAddress() == null ? null : client.getAddress().getAddress();
    }

    private static int bits(final RouteFilter.RateLimit.ClientAddress prefix, final byte[] address)
    {
        return address.length == 4 ? prefix.v4Bits() : prefix.v6Bits();
    }

    /** Byte {@code index} of the address with the bits past the prefix cleared. */
    private static int masked(final byte[] address, final int index, final int bits)
    {
        final int kept = Math.clamp(bits - index * 8L, 0, 8);
        return address[index] & (0xFF00 >>> kept) & 0xFF;
    }

    /** {@code 198.18.0.0/24}, {@code 2001:2:0:0:0:0:0:0/64}: the prefix as an address and its length. */
    private static String prefixText(final byte[] address, final int bits)
    {
        final StringBuilder text = new StringBuilder(48);
        if (address.length == 4)
        {
            for (int i = 0; i < 4; i++)
            {
                text.append(i == 0 ? "" : ".").append(masked(address, i, bits) & 0xFF);
            }
        }
        else
        {
            for (int i = 0; i < address.length; i += 2)
            {
                text.append(i == 0 ? "" : ":").append(Integer.toHexString(((masked(address, i, bits) & 0xFF) << 8)
                    | (masked(address, i + 1, bits) & 0xFF)));
            }
        }
        return text.append('/').append(bits).toString();
    }

    /**
     * The first value of cookie {@code name} in the request's Cookie headers (RFC 6265's
     * {@code name=value; name=value}, quotes around a value removed), or null.
     */
    static String cookie(final HttpRequest request, final String name)
    {
        final Iterator<String> headers = request.headers().valueStringIterator(HttpHeaderNames.COOKIE);
        while (headers.hasNext())
        {
            final String header = headers.next();
            int pair = 0;
            while (pair < header.length())
            {
                while (pair < header.length() && (header.charAt(pair) == ' ' || header.charAt(pair) == '\t'))
                {
                    pair++;
                }
                final int end = header.indexOf(';', pair) < 0 ? header.length() : header.indexOf(';', pair);
                final int equals = header.indexOf('=', pair);
                if (equals > 0 && equals < end && equals - pair == name.length() && header.startsWith(name, pair))
                {
                    int from = equals + 1;
                    int to = end;
                    while (to > from && (header.charAt(to - 1) == ' ' || header.charAt(to - 1) == '\t'))
                    {
                        to--;
                    }
                    if (to - from >= 2 && header.charAt(from) == '"' && header.charAt(to - 1) == '"')
                    {
                        from++;
                        to--;
                    }
                    return header.substring(from, to);
                }
                pair = end + 1;
            }
        }
        return null;
    }

    /** MurmurHash3's finalizer: every bit of the FNV sum reaches the top bits (the stripe) and the bottom (the slot). */
    private static long mix(final long hash)
    {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
