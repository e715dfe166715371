package io.sluice.l7.balance;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash64A (Austin Appleby's 64-bit MurmurHash2, seed 0) of UTF-8 bytes: fast, well mixed,
 * and the same in every process and release, which consistent hashing and sticky cookies need
 * (a hash ring must place a server's points where every proxy places them; a cookie set by one
 * proxy must name the same server at another). {@link String#hashCode} is too weak in its low
 * bits, and {@code Object.hashCode} differs between processes.
 */
final class Hash64
{
    private static final long M = 0xc6a4_a793_5bd1_e995L;
    private static final int R = 47;
    private static final long SEED = 0;

    private Hash64()
    {
    }

    static long hash(final byte[] data)
    {
        final int length = data.length;
        long h = SEED ^ (length * M);
        final int blocks = length & ~7;
        for (int i = 0; i < blocks; i += 8)
        {
            long k = 0;
            for (int j = 7; j >= 0; j--)
            {
                k = k << 8 | (data[i + j] & 0xFF);
            }
            h = mixBlock(h, k);
        }
        final int tail = length & 7;
        if (tail > 0)
        {
            long k = 0;
            for (int j = tail - 1; j >= 0; j--)
            {
                k = k << 8 | (data[blocks + j] & 0xFF);
            }
            h = (h ^ k) * M;
        }
        return finish(h);
    }

    /**
     * The hash of the text's UTF-8 bytes. ASCII text (nearly every header value and cookie) is
     * its own UTF-8, so it is hashed from its chars without encoding it into a new array.
     */
    static long hash(final CharSequence text)
    {
        final int length = text.length();
        for (int i = 0; i < length; i++)
        {
            if (text.charAt(i) >= 0x80)
            {
                return hash(text.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        long h = SEED ^ (length * M);
        final int blocks = length & ~7;
        for (int i = 0; i < blocks; i += 8)
        {
            long k = 0;
            for (int j = 7; j >= 0; j--)
            {
                k = k << 8 | text.charAt(i + j);
            }
            h = mixBlock(h, k);
        }
        final int tail = length & 7;
        if (tail > 0)
        {
            long k = 0;
            for (int j = tail - 1; j >= 0; j--)
            {
                k = k << 8 | text.charAt(blocks + j);
            }
            h = (h ^ k) * M;
        }
        return finish(h);
    }

    /** 16 lower-case hex digits. */
    static String hex(final long hash)
    {
        final String digits = Long.toHexString(hash);
        return "0".repeat(16 - digits.length()) + digits;
    }

    private static long mixBlock(final long h, final long block)
    {
        long k = block * M;
        k ^= k >>> R;
        k *= M;
        return (h ^ k) * M;
    }

    private static long finish(final long hash)
    {
        long h = hash;
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }
}
