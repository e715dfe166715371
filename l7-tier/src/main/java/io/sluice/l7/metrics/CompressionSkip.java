package io.sluice.l7.metrics;

import java.util.Locale;

/**
 * Why a response on a route that compresses went out as the backend sent it, counted as
 * {@code sluice_l7_compression_skipped_total{route,reason}}. The first reason that applies is
 * the one counted, in this order.
 */
public enum CompressionSkip
{
    /** HEAD or CONNECT: no body to compress. */
    METHOD,
    /** An HTTP/1.0 response: its framing has no chunks, which a compressed body (of unknown length) needs. */
    HTTP10,
    /** 1xx, 101, 204 or 304: no body (or not HTTP after it). */
    STATUS,
    /** A 206, or a request with Range: compressing a part would make bytes no range refers to (envoy#23850). */
    RANGE,
    /** {@code Cache-Control: no-transform} on the response (RFC 9111 5.2.2.6) or the request (5.2.1.6). */
    NO_TRANSFORM,
    /** It has a Content-Encoding already: never compressed twice. */
    ENCODED,
    /** text/event-stream: each event must reach the client when it comes. */
    EVENT_STREAM,
    /** Its Content-Type is not in the route's types, or it has none. */
    TYPE,
    /** Its body is shorter than min_size (by Content-Length, or it ended before the minimum). */
    TOO_SMALL,
    /** The client's Accept-Encoding takes none of the route's algorithms. */
    NOT_ACCEPTED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label()
    {
        return label;
    }
}
