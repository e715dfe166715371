package io.sluice.l7.grpc;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * The {@code grpc-timeout} request header (gRPC over HTTP/2: 1 to 8 digits and a unit, H M S m u
 * n): how long the client waits for the call, which is then the longest the proxy waits too; and
 * the value the proxy sends on, the time the call has left once it leaves the proxy.
 */
public final class GrpcTimeout
{
    public static final String HEADER = "grpc-timeout";
    private static final int MAX_DIGITS = 8;
    private static final long MAX_VALUE = 99_999_999L;
    /** The units, finest first, and each one's length in nanoseconds. */
    private static final char[] UNITS = {'n', 'u', 'm', 'S', 'M', 'H'};
    private static final long[] UNIT_NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};

    private GrpcTimeout()
    {
    }

    /**
     * The request's timeout in nanoseconds: the shorter of {@code routeTimeoutNanos} and the call's
     * grpc-timeout; a header that is absent or not of the grammar is ignored.
     */
    public static long deadlineNanos(final HttpHeaders headers, final long routeTimeoutNanos)
    {
        final String value = headers.get(HEADER);
        if (value == null)
        {
            return routeTimeoutNanos;
        }
        final long callNanos = nanos(value);
        return callNanos < 0 ? routeTimeoutNanos : Math.min(callNanos, routeTimeoutNanos);
    }

    /**
     * The value in nanoseconds, or -1 when it is not of the grammar. Eight digits of hours are
     * more than a long holds in nanoseconds: such a value is {@link Long#MAX_VALUE}, which no
     * deadline reaches anyway.
     */
    static long nanos(final String value)
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
        final int unit = unit(value.charAt(digits));
        if (unit < 0)
        {
            return -1;
        }
        return amount > Long.MAX_VALUE / UNIT_NANOS[unit] ? Long.MAX_VALUE : amount * UNIT_NANOS[unit];
    }

    private static int unit(final char symbol)
    {
        for (int i = 0; i < UNITS.length; i++)
        {
            if (UNITS[i] == symbol)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * A time left, as the header's value: cut to 8 digits in the finest unit that holds it
     * (rounded down, so the backend never waits longer than the proxy does; as grpc-java encodes
     * its own), then written in the largest unit that keeps that value exact, so a time that is a
     * round number reads as one (5000000u is 5S). More than 8 digits of hours is 99999999H.
     *
     * @param nanos the time left, at least 1 ns.
     */
    public static String encode(final long nanos)
    {
        int unit = 0;
        while (unit < UNITS.length - 1 && nanos / UNIT_NANOS[unit] > MAX_VALUE)
        {
            unit++;
        }
        long amount = Math.min(MAX_VALUE, nanos / UNIT_NANOS[unit]);
        while (unit < UNITS.length - 1)
        {
            final long ratio = UNIT_NANOS[unit + 1] / UNIT_NANOS[unit];
            if (amount % ratio != 0)
            {
                break;
            }
            amount /= ratio;
            unit++;
        }
        return Long.toString(amount) + UNITS[unit];
    }
}
