package io.sluice.l7.ratelimit;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What a client is told of the limits it met, in the fields of draft-ietf-httpapi-ratelimit-headers
 * (revision 11, structured fields, RFC 9651): {@code RateLimit-Policy} lists each limit of the
 * route as {@code "name";q=COUNT;w=SECONDS} (its rate), the same on every response, and
 * {@code RateLimit} each limit that counted this request as {@code "name";r=REMAINING;t=SECONDS},
 * r the requests it may still make at once and t the seconds until it may make one more (left
 * out when its allowance is whole). Several limits are one list, in the route's order. A refusal
 * is a 429 with {@code Retry-After} in whole seconds, rounded up, which is also its limit's t, so
 * the two never disagree (the draft asks that Retry-After be no earlier than t).
 */
final class RateLimitFields
{
    static final AsciiString RATELIMIT_POLICY = AsciiString.cached("RateLimit-Policy");
    static final AsciiString RATELIMIT = AsciiString.cached("RateLimit");
    private static final byte[] REFUSED_BODY = "too many requests\n".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");

    private RateLimitFields()
    {
    }

    /** {@code "text"}: a structured-field String; the name's characters are printable ASCII, quotes and backslashes escaped. */
    static String string(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\');
            }
            out.append(c < 0x20 || c > 0x7E ? '?' : c);
        }
        return out.append('"').toString();
    }

    /** The route's policies, one item per limit that tells clients (dry runs do not), or null when none does. */
    static String policy(final RouteLimit[] limits)
    {
        final StringBuilder policy = new StringBuilder();
        for (final RouteLimit limit : limits)
        {
            if (!limit.config().dryRun())
            {
                policy.append(policy.isEmpty() ? "" : ", ").append(limit.fieldName())
                    .append(";q=").append(limit.config().count())
                    .append(";w=").append(limit.config().period().toSeconds());
            }
        }
        return policy.isEmpty() ? null : policy.toString();
    }

    /** Both fields onto a response, for the limits that counted the request ({@code decisions} by limit, null for the others). */
    static void add(final HttpHeaders headers, final String policy, final RouteLimit[] limits, final LimitDecision[] decisions)
    {
        final StringBuilder items = new StringBuilder(64);
        for (int i = 0; i < limits.length; i++)
        {
            final LimitDecision decision = decisions[i];
            if (decision == null)
            {
                continue;
            }
            items.append(items.isEmpty() ? "" : ", ").append(limits[i].fieldName()).append(";r=").append(decision.remaining());
            final long untilMoreNanos = untilMoreNanos(decision, limits[i].intervalNanos());
            if (untilMoreNanos > 0)
            {
                items.append(";t=").append(seconds(untilMoreNanos));
            }
        }
        headers.set(RATELIMIT_POLICY, policy);
        headers.set(RATELIMIT, items.toString());
    }

    /** The 429 for a request {@code refusal} refused; the fields as on any response. */
    static FullHttpResponse tooManyRequests(final LimitDecision refusal, final String policy, final RouteLimit[] limits,
        final LimitDecision[] decisions)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.TOO_MANY_REQUESTS,
            Unpooled.wrappedBuffer(REFUSED_BODY));
        final HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, REFUSED_BODY.length);
        headers.set(HttpHeaderNames.RETRY_AFTER, seconds(refusal.retryAfterNanos()));
        add(headers, policy, limits, decisions);
        return response;
    }

    /**
     * How long until the limit lets one more request through than now: a refused request's
     * wait; for one let go, until its key's TAT next crosses a whole interval (0 when the
     * allowance is whole: nothing more to come).
     */
    static long untilMoreNanos(final LimitDecision decision, final long intervalNanos)
    {
        if (!decision.allowed())
        {
            return decision.retryAfterNanos();
        }
        return decision.resetNanos() <= 0 ? 0 : (decision.resetNanos() - 1) % intervalNanos + 1;
    }

    /** Nanoseconds as whole seconds, rounded up: a client that waits that long is never early. */
    static long seconds(final long nanos)
    {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }
}
