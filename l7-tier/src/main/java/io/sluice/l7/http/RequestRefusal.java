package io.sluice.l7.http;

import java.util.Locale;

/**
 * Why the proxy refused a request, with the status it answers (RFC 9110 15.5, RFC 6585) and the
 * label it is counted under in the metrics, {@code GET /status} and the access log. A refused
 * request never reaches a backend (or, when its body turns out bad after its head went, the
 * backend connection is closed before the request's end), and its client connection closes
 * after the answer: once a request's framing is in doubt, so is every byte after it.
 */
public enum RequestRefusal
{
    /** The request line is not {@code method SP request-target SP HTTP-version}. */
    BAD_REQUEST_LINE(400),
    /** The method is not a token. */
    BAD_METHOD(400),
    /** The request-target has a character it may not carry, or a form its method may not use. */
    BAD_TARGET(400),
    /** The HTTP-version is not {@code HTTP/d.d}. */
    BAD_VERSION(400),
    /** A well-formed version the proxy does not speak over HTTP/1 (HTTP/0.9, HTTP/2.0 in a request line, ...). */
    UNSUPPORTED_VERSION(505),
    /** Longer than {@code limits.request_line}. */
    REQUEST_LINE_TOO_LONG(414),
    /** A header line longer than {@code limits.header_line}. */
    HEADER_LINE_TOO_LONG(431),
    /** The header section is longer than {@code limits.header_bytes}. */
    HEADERS_TOO_LARGE(431),
    /** More header fields than {@code limits.header_count}. */
    TOO_MANY_HEADERS(431),
    /** A field name that is not a token, or whitespace before the colon. */
    BAD_HEADER_NAME(400),
    /** A field value with a control character (NUL, CR, LF, ...). */
    BAD_HEADER_VALUE(400),
    /** A field line continued on the next (obs-fold, RFC 9112 5.2). */
    OBSOLETE_LINE_FOLDING(400),
    /** A CR not followed by LF, or a line ended by LF alone. */
    BAD_LINE_ENDING(400),
    /** HTTP/1.1 without a Host header (RFC 9112 3.2). */
    MISSING_HOST(400),
    /** More than one Host header, or one with a list of values. */
    DUPLICATE_HOST(400),
    /** A Host (or absolute-form authority, or :authority) that is not a valid authority. */
    BAD_HOST(400),
    /** Content-Length that is not one decimal number (signs, spaces, hex, overflow). */
    BAD_CONTENT_LENGTH(400),
    /** Content-Length given twice or as a list. */
    DUPLICATE_CONTENT_LENGTH(400),
    /** Content-Length and Transfer-Encoding together (RFC 9112 6.1: refusing is allowed, and safest). */
    CONTENT_LENGTH_AND_TRANSFER_ENCODING(400),
    /** A Transfer-Encoding whose last coding is not chunked, or chunked applied twice, or an empty one. */
    BAD_TRANSFER_ENCODING(400),
    /** Transfer codings before chunked that the proxy does not implement (gzip, chunked). */
    UNSUPPORTED_TRANSFER_ENCODING(501),
    /** Transfer-Encoding in an HTTP/1.0 request (RFC 9112 6.1). */
    TRANSFER_ENCODING_IN_HTTP10(400),
    /** A chunk size that is not hexadecimal digits, or overflows. */
    BAD_CHUNK_SIZE(400),
    /** A chunk extension that is malformed or longer than {@code limits.chunk_extension}. */
    BAD_CHUNK_EXTENSION(400),
    /** Chunk data not followed by CRLF (more data than the size said, or a bare LF). */
    BAD_CHUNK(400),
    /** A trailer field that is malformed, or one that frames, routes or authenticates (Content-Length, Host, ...). */
    BAD_TRAILER(400),
    /** A body longer than the route's {@code max_body}. */
    BODY_TOO_LARGE(413),
    /** An Expect other than 100-continue. */
    EXPECTATION_FAILED(417),
    /** CONNECT: no route allows tunnels. */
    CONNECT_NOT_ALLOWED(501),
    /** An HTTP/2 stream that breaks the protocol's rules for requests (RFC 9113 8.1.1): reset with PROTOCOL_ERROR. */
    HTTP2_MALFORMED(400),
    /** An HTTP/2 connection closed for flooding (resets, empty frames, CONTINUATION, streams over the limit). */
    HTTP2_FLOOD(400),
    /** Anything else the parser could not make sense of. */
    MALFORMED(400),
    /**
     * No server of its pool had room under the {@code max_requests} limits and the pool's queue
     * was full: 503 with Retry-After. The request was well formed, so its connection stays open.
     */
    QUEUE_FULL(503),
    /** It waited its pool's queue timeout without a server having room: 503 with Retry-After, the connection kept. */
    QUEUE_TIMEOUT(503);

    private final int status;
    private final String label;

    RequestRefusal(final int status)
    {
        this.status = status;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** The status the client is answered with. */
    public int status()
    {
        return status;
    }

    /** Lower case with underscores, e.g. {@code bad_chunk_size}: the metric label and the access log's {@code refused} field. */
    public String label()
    {
        return label;
    }
}
