package io.sluice.l7.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Set;

/**
 * When a request goes to another server after a failure (a connect failure, a connection closed
 * before any response, a 502 or 503), and what is sent then: idempotent methods only (RFC 9110
 * 9.2.2), without a body (so nothing of it has to be sent twice), once at most.
 */
final class RetryPolicy
{
    /** The first try and one retry. */
    static final int MAX_ATTEMPTS = 2;
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(
        HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    private RetryPolicy()
    {
    }

    /**
     * @param attempts        tries so far.
     * @param requestComplete whether the whole request arrived (a retry cannot send what is still to come).
     * @param bodyBytes       body bytes the client sent.
     */
    static boolean allows(final HttpMethod method, final int attempts, final boolean requestComplete, final long bodyBytes)
    {
        return attempts < MAX_ATTEMPTS && requestComplete && bodyBytes == 0 && IDEMPOTENT.contains(method);
    }

    /** A backend's answer that another server may do better than: it never reaches the client when a retry is allowed. */
    static boolean retriableStatus(final int status)
    {
        return status == HttpResponseStatus.BAD_GATEWAY.code() || status == HttpResponseStatus.SERVICE_UNAVAILABLE.code();
    }

    /** The request to send again: a body-less copy of the head as first sent (which went with its connection's buffer). */
    static HttpRequest again(final HttpRequest sent)
    {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, sent.method(), sent.uri(), Unpooled.EMPTY_BUFFER,
            sent.headers().copy(), EmptyHttpHeaders.INSTANCE);
    }
}
