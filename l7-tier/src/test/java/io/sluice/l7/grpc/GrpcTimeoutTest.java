package io.sluice.l7.grpc;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** grpc-timeout's grammar as read, and the time left as written for the backend. */
class GrpcTimeoutTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void everyUnitIsRead()
    {
        assertThat(GrpcTimeout.nanos("2H")).isEqualTo(7_200 * SECOND);
        assertThat(GrpcTimeout.nanos("3M")).isEqualTo(180 * SECOND);
        assertThat(GrpcTimeout.nanos("5S")).isEqualTo(5 * SECOND);
        assertThat(GrpcTimeout.nanos("250m")).isEqualTo(250_000_000L);
        assertThat(GrpcTimeout.nanos("1500u")).isEqualTo(1_500_000L);
        assertThat(GrpcTimeout.nanos("1n")).isEqualTo(1L);
        assertThat(GrpcTimeout.nanos("0m")).as("no time at all: a deadline passed already").isZero();
        assertThat(GrpcTimeout.nanos("99999999S")).isEqualTo(99_999_999 * SECOND);
        assertThat(GrpcTimeout.nanos("99999999H")).as("more than a long holds in nanoseconds").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aValueOutsideTheGrammarIsIgnored()
    {
        for (final String bad : new String[] {"", "S", "5", "5s", "123456789S", "-1S", "1.5S", "5 S", "5h"})
        {
            assertThat(GrpcTimeout.nanos(bad)).as(bad).isEqualTo(-1);
            assertThat(GrpcTimeout.deadlineNanos(new DefaultHttpHeaders().set(GrpcTimeout.HEADER, bad), 30 * SECOND))
                .isEqualTo(30 * SECOND);
        }
    }

    @Test
    void theDeadlineIsTheShorterOfTheCallsAndTheRoutes()
    {
        final HttpHeaders headers = new DefaultHttpHeaders().set(GrpcTimeout.HEADER, "200m");
        assertThat(GrpcTimeout.deadlineNanos(headers, 30 * SECOND)).isEqualTo(200_000_000L);
        assertThat(GrpcTimeout.deadlineNanos(headers, 100_000_000L)).isEqualTo(100_000_000L);
        assertThat(GrpcTimeout.deadlineNanos(new DefaultHttpHeaders(), 100_000_000L)).isEqualTo(100_000_000L);
    }

    /** Eight digits in the finest unit that holds them, cut (never rounded up), then the largest unit that keeps that exact. */
    @Test
    void theTimeLeftIsWrittenInTheLargestUnitThatKeepsItExact()
    {
        assertThat(GrpcTimeout.encode(1)).isEqualTo("1n");
        assertThat(GrpcTimeout.encode(99_999_999)).isEqualTo("99999999n");
        assertThat(GrpcTimeout.encode(123_456_789)).as("nine digits of ns: cut to us").isEqualTo("123456u");
        assertThat(GrpcTimeout.encode(4_999_712_345L)).isEqualTo("4999712u");
        assertThat(GrpcTimeout.encode(5 * SECOND)).isEqualTo("5S");
        assertThat(GrpcTimeout.encode(2_500_000_000L)).isEqualTo("2500m");
        assertThat(GrpcTimeout.encode(1_000)).isEqualTo("1u");
        assertThat(GrpcTimeout.encode(120 * SECOND)).isEqualTo("2M");
        assertThat(GrpcTimeout.encode(7_200 * SECOND)).isEqualTo("2H");
        assertThat(GrpcTimeout.encode(150 * SECOND + 1)).as("the nanosecond cut, 150000m is exact in seconds").isEqualTo("150S");
        assertThat(GrpcTimeout.encode(99_999_999 * SECOND + 999_999_999L)).isEqualTo("99999999S");
        assertThat(GrpcTimeout.encode(Long.MAX_VALUE)).as("292 years: hours").isEqualTo("2562047H");
        for (final long nanos : new long[] {1, 999, 1_001, 123_456_789, 4_999_712_345L, 86_399_999_999_999L, Long.MAX_VALUE})
        {
            final String value = GrpcTimeout.encode(nanos);
            assertThat(value.length() - 1).as(value).isBetween(1, 8);
            assertThat(GrpcTimeout.nanos(value)).as("%s is never more than the time left", value).isBetween(1L, nanos);
        }
    }
}
