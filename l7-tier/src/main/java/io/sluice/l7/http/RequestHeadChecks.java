package io.sluice.l7.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.List;

/**
 * The checks every request head passes before it is routed, whichever protocol brought it
 * (HTTP/1.1's syntax is the strict decoder's; HTTP/2's framing is Netty's codec's): one Host,
 * valid; a request-target of a form its method may use; one canonical authority (an
 * absolute-form target's replaces the Host header, RFC 9112 3.2.2, and the target goes on in
 * origin form), so routing and the backend see the same host; no CONNECT (no route allows
 * tunnels); an Expect the proxy can honour.
 *
 * <p>The request is changed in place where the RFCs say how (absolute form, Expect in HTTP/1.0);
 * anything else wrong is a refusal, returned rather than thrown: the caller answers it.
 */
public final class RequestHeadChecks
{
    private static final String CONTINUE = "100-continue";

    private RequestHeadChecks()
    {
    }

    /**
     * @param http2 the request came on an HTTP/2 stream: Host may be absent (:authority is
     *              optional, RFC 9113 8.3.1), and the target is never absolute. (Its field names
     *              and values were checked as Netty's codec decoded and translated them: a
     *              control character in a value fails the stream.)
     * @return null when the request may go on (perhaps changed), else why it may not.
     */
    public static RequestRefusedException check(final HttpRequest request, final boolean http2)
    {
        final HttpHeaders headers = request.headers();
        if (HttpMethod.CONNECT.equals(request.method()))
        {
            return refusal(RequestRefusal.CONNECT_NOT_ALLOWED, "CONNECT is not allowed: no route tunnels");
        }
        final RequestRefusedException host = checkHost(headers, !http2 && HttpVersion.HTTP_1_1.equals(request.protocolVersion()));
        if (host != null)
        {
            return host;
        }
        final RequestRefusedException target = checkTarget(request, http2);
        if (target != null)
        {
            return target;
        }
        return checkExpect(request);
    }

    /** RFC 9112 3.2: exactly one Host in HTTP/1.1, none or one otherwise, and a valid one. */
    private static RequestRefusedException checkHost(final HttpHeaders headers, final boolean required)
    {
        final List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.isEmpty())
        {
            return required ? refusal(RequestRefusal.MISSING_HOST, "an HTTP/1.1 request needs a Host header") : null;
        }
        if (hosts.size() > 1 || hosts.getFirst().indexOf(',') >= 0)
        {
            return refusal(RequestRefusal.DUPLICATE_HOST, "more than one Host");
        }
        return Authority.isValid(hosts.getFirst()) ? null : refusal(RequestRefusal.BAD_HOST, "not a valid Host");
    }

    /**
     * RFC 9112 3.2: origin form for most requests, {@code *} for OPTIONS alone, authority form
     * for CONNECT alone (refused before this), absolute form from an HTTP/1.1 client (its
     * authority becomes the Host; the target goes on in origin form, as HTTP/1.1 servers expect it).
     */
    private static RequestRefusedException checkTarget(final HttpRequest request, final boolean http2)
    {
        final String uri = request.uri();
        if (uri.startsWith("/"))
        {
            return null;
        }
        if ("*".equals(uri))
        {
            return HttpMethod.OPTIONS.equals(request.method()) ? null :
                refusal(RequestRefusal.BAD_TARGET, "'*' is a target for OPTIONS only");
        }
        final int schemeEnd = uri.indexOf("://");
        if (schemeEnd < 0 || http2) // RFC 9113 8.3.1: :path is a path (or '*'), the authority is :authority
        {
            return refusal(RequestRefusal.BAD_TARGET, "the target is neither a path nor an absolute URI");
        }
        final String scheme = uri.substring(0, schemeEnd);
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme))
        {
            return refusal(RequestRefusal.BAD_TARGET, "the target's scheme is not http or https");
        }
        final int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < uri.length() && "/?".indexOf(uri.charAt(authorityEnd)) < 0)
        {
            authorityEnd++;
        }
        final String authority = uri.substring(authorityStart, authorityEnd);
        if (!Authority.isValid(authority))
        {
            return refusal(RequestRefusal.BAD_HOST, "the target's authority is not a valid host[:port]");
        }
        String origin = uri.substring(authorityEnd);
        if (origin.isEmpty() || origin.charAt(0) == '?')
        {
            // RFC 9112 3.2.4: an empty path is "/" (or "*" for a server-wide OPTIONS)
            origin = (HttpMethod.OPTIONS.equals(request.method()) && origin.isEmpty() ? "*" : "/") + origin;
        }
        request.setUri(origin);
        request.headers().set(HttpHeaderNames.HOST, authority);
        return null;
    }

    /** RFC 9110 10.1.1: only 100-continue is defined; an HTTP/1.0 server ignores it, so it does not travel on. */
    private static RequestRefusedException checkExpect(final HttpRequest request)
    {
        final HttpHeaders headers = request.headers();
        final String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect == null)
        {
            return null;
        }
        if (HttpVersion.HTTP_1_0.equals(request.protocolVersion()))
        {
            headers.remove(HttpHeaderNames.EXPECT);
            return null;
        }
        if (headers.getAll(HttpHeaderNames.EXPECT).size() == 1 && HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim()))
        {
            return null;
        }
        return refusal(RequestRefusal.EXPECTATION_FAILED, "only Expect: " + CONTINUE + " is supported");
    }

    private static RequestRefusedException refusal(final RequestRefusal reason, final String detail)
    {
        return new RequestRefusedException(reason, detail);
    }
}
