package io.sluice.l7.config;

/**
 * A content coding the proxy can compress a response with (RFC 9110 8.4.1), as
 * {@code compress.algorithms} names it and {@code Content-Encoding} carries it, with the range of
 * levels its library takes and the level it uses when the route sets none.
 */
public enum ContentCoding
{
    /**
     * Brotli (RFC 7932); quality 0-11. 4 compresses better than gzip 6 at about its speed (what
     * ngx_brotli's users pick for dynamic content).
     */
    BROTLI("br", 0, 11, 4),
    /**
     * Zstandard (RFC 8878); levels 1-19. Above 19 the window outgrows the 8 MiB RFC 8878 says
     * an HTTP client need not accept (browsers refuse it).
     */
    ZSTD("zstd", 1, 19, 3),
    /** gzip (RFC 1952); levels 1-9, 6 being zlib's and nginx's default. */
    GZIP("gzip", 1, 9, 6);

    private final String token;
    private final int minLevel;
    private final int maxLevel;
    private final int defaultLevel;

    ContentCoding(final String token, final int minLevel, final int maxLevel, final int defaultLevel)
    {
        this.token = token;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
        this.defaultLevel = defaultLevel;
    }

    /** The coding's name in Accept-Encoding and Content-Encoding, and in the configuration. */
    public String token()
    {
        return token;
    }

    public int minLevel()
    {
        return minLevel;
    }

    public int maxLevel()
    {
        return maxLevel;
    }

    public int defaultLevel()
    {
        return defaultLevel;
    }

    /** The coding of that name, or null. */
    public static ContentCoding of(final String token)
    {
        for (final ContentCoding coding : values())
        {
            if (coding.token.equals(token))
            {
                return coding;
            }
        }
        return null;
    }
}
