package io.sluice.l7.grpc;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The {@code grpc-timeout} request header (gRPC over HTTP/2: 1 to 8 digits and a unit, H M S m u
 * n): how long the client waits for the call, which is then the longest the proxy waits too.
 */
public final class GrpcTimeout
{
    public static final String HEADER = "grpc-timeout";
    private static final int MAX_DIGITS = 8;

    private GrpcTimeout()
    {
    }

    /**
     * The request's deadline: the shorter of {@code routeTimeoutMs} and the call's grpc-timeout
     * (rounded up to a whole millisecond); a header that is absent or not of the grammar is ignored.
     */
    public static long deadlineMs(final HttpHeaders headers, final long routeTimeoutMs)
    {
        final String value = headers.get(HEADER);
        if (value == null)
        {
            return routeTimeoutMs;
        }
        final long callMs = millis(value);
        return callMs < 0 ? routeTimeoutMs : Math.min(callMs, routeTimeoutMs);
    }

    /** The value in milliseconds, or -1 when it is not of the grammar. */
    static long millis(final String value)
    {
        final int digits = value.length() - 1;
        if (digits < 1 || digits > MAX_DIGITS)
        {
            return -1;
        }
        long amount = 0;
        for (int i = 0; i < digits; i++)
        {
            final char c = value.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            amount = amount * 10 + (c - '0');
        }
        return switch (value.charAt(digits))
        {
            case 'H' -> amount * 3_600_000L;
            case 'M' -> amount * 60_000L;
            case 'S' -> amount * 1_000L;
            case 'm' -> amount;
            case 'u' -> (amount + 999) / 1_000;
            case 'n' -> (amount + 999_999) / 1_000_000;
            default -> -1;
        };
    }
}
