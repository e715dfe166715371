package io.sluice.l7.config;

/**
 * How much of a request the proxy will read before refusing it (the {@code limits} section).
 * Defaults as nginx's and HAProxy's are, or tighter: a head that does not fit is refused, not
 * buffered.
 *
 * @param requestLineBytes   the request line, CRLF excluded (414 over it).
 * @param headerLineBytes    one header line, CRLF excluded (431 over it).
 * @param headerBytes        the whole header section, every line with its CRLF (431 over it).
 * @param headerCount        header fields in a request's head, or in its trailers (431 over it).
 * @param chunkExtensionBytes a chunk line's extension, after the size (400 over it).
 * @param maxBodyBytes       a request body, for routes that set no {@code max_body} of their own (413 over it).
 * @param http2              the HTTP/2 connection's limits.
 */
public record RequestLimits(int requestLineBytes, int headerLineBytes, int headerBytes, int headerCount, int chunkExtensionBytes,
    long maxBodyBytes, Http2Limits http2)
{
    public static final RequestLimits DEFAULTS = new RequestLimits(8 * 1024, 8 * 1024, 32 * 1024, 100, 1024,
        1024L * 1024 * 1024, Http2Limits.DEFAULTS);

    /**
     * @param headerListBytes        SETTINGS_MAX_HEADER_LIST_SIZE, enforced on each request's headers.
     * @param concurrentStreams      SETTINGS_MAX_CONCURRENT_STREAMS (HAProxy's default, 100).
     * @param resetsPerWindow        RST_STREAM frames a client may send per window before GOAWAY ENHANCE_YOUR_CALM (rapid reset).
     * @param resetWindowSeconds     that window.
     * @param consecutiveEmptyFrames empty DATA frames in a row before the connection is closed.
     */
    public record Http2Limits(int headerListBytes, int concurrentStreams, int resetsPerWindow, int resetWindowSeconds,
        int consecutiveEmptyFrames)
    {
        /** Netty's own defences, kept: 200 resets per 30 s, 2 empty DATA frames in a row. */
        public static final Http2Limits DEFAULTS = new Http2Limits(32 * 1024, 100, 200, 30, 2);
    }
}
