package io.sluice.l7.auth;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The answers of a route's authentication, as RFC 6750 3 words them: 401 with
 * {@code WWW-Authenticate: Bearer realm="ROUTE", error="invalid_token", error_description="..."}
 * (no error code when the request had no credential at all), 400 {@code invalid_request} for a
 * credential given twice, 403 {@code insufficient_scope} for an identity the route refuses, and
 * 503 while no signing key is known yet. The description says what was wrong and never repeats
 * the credential; {@code no-store} keeps the answers out of caches.
 */
final class AuthAnswers
{
    private AuthAnswers()
    {
    }

    /** 401 for a request without a credential: only the scheme and realm (RFC 6750 3.1). */
    static FullHttpResponse missing(final String scheme, final String realm)
    {
        return answer(HttpResponseStatus.UNAUTHORIZED, challenge(scheme, realm, null, null));
    }

    /** 401 {@code invalid_token}. */
    static FullHttpResponse invalid(final String scheme, final String realm, final String description)
    {
        return answer(HttpResponseStatus.UNAUTHORIZED, challenge(scheme, realm, "invalid_token", description));
    }

    /** 400 {@code invalid_request}. */
    static FullHttpResponse badRequest(final String scheme, final String realm, final String description)
    {
        return answer(HttpResponseStatus.BAD_REQUEST, challenge(scheme, realm, "invalid_request", description));
    }

    /** 403 {@code insufficient_scope}. */
    static FullHttpResponse forbidden(final String scheme, final String realm, final String description)
    {
        return answer(HttpResponseStatus.FORBIDDEN, challenge(scheme, realm, "insufficient_scope", description));
    }

    /** 503: the route cannot check any token yet; worth trying again soon. */
    static FullHttpResponse noKeys()
    {
        final FullHttpResponse response = answer(HttpResponseStatus.SERVICE_UNAVAILABLE, null);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        return response;
    }

    /** Whether {@code text} may go into a quoted-string as it is: visible ASCII and spaces, no quote or backslash. */
    static boolean printable(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
            {
                return false;
            }
        }
        return true;
    }

    private static String challenge(final String scheme, final String realm, final String error, final String description)
    {
        final StringBuilder challenge = new StringBuilder(scheme).append(" realm=\"").append(realm).append('"');
        if (error != null)
        {
            challenge.append(", error=\"").append(error).append('"');
            if (description != null && printable(description))
            {
                challenge.append(", error_description=\"").append(description).append('"');
            }
        }
        return challenge.toString();
    }

    private static FullHttpResponse answer(final HttpResponseStatus status, final String challenge)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        if (challenge != null)
        {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        }
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }
}
