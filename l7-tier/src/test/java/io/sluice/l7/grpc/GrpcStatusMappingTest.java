package io.sluice.l7.grpc;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** grpc-timeout's grammar and the gRPC statuses the proxy's own errors become. */
class GrpcStatusMappingTest
{
    @Test
    void grpcTimeoutInEveryUnitRoundsUpToAMillisecond()
    {
        assertThat(GrpcTimeout.millis("2H")).isEqualTo(7_200_000);
        assertThat(GrpcTimeout.millis("3M")).isEqualTo(180_000);
        assertThat(GrpcTimeout.millis("5S")).isEqualTo(5_000);
        assertThat(GrpcTimeout.millis("250m")).isEqualTo(250);
        assertThat(GrpcTimeout.millis("1500u")).isEqualTo(2);
        assertThat(GrpcTimeout.millis("1n")).isEqualTo(1);
        assertThat(GrpcTimeout.millis("99999999S")).isEqualTo(99_999_999_000L);
    }

    @Test
    void aGrpcTimeoutOutsideTheGrammarIsIgnored()
    {
        for (final String bad : new String[] {"", "S", "5", "5s", "123456789S", "-1S", "1.5S", "5 S"})
        {
            assertThat(GrpcTimeout.millis(bad)).as(bad).isEqualTo(-1);
            assertThat(GrpcTimeout.deadlineMs(new DefaultHttpHeaders().set(GrpcTimeout.HEADER, bad), 30_000)).isEqualTo(30_000);
        }
    }

    @Test
    void theDeadlineIsTheShorterOfTheCallsAndTheRoutes()
    {
        final HttpHeaders headers = new DefaultHttpHeaders().set(GrpcTimeout.HEADER, "200m");
        assertThat(GrpcTimeout.deadlineMs(headers, 30_000)).isEqualTo(200);
        assertThat(GrpcTimeout.deadlineMs(headers, 100)).isEqualTo(100);
        assertThat(GrpcTimeout.deadlineMs(new DefaultHttpHeaders(), 100)).isEqualTo(100);
    }

    @Test
    void onlyGrpcContentTypesAreGrpcCalls()
    {
        assertThat(GrpcErrorResponse.isGrpc(new DefaultHttpHeaders().set("content-type", "application/grpc"))).isTrue();
        assertThat(GrpcErrorResponse.isGrpc(new DefaultHttpHeaders().set("content-type", "application/grpc+proto"))).isTrue();
        assertThat(GrpcErrorResponse.isGrpc(new DefaultHttpHeaders().set("content-type", "Application/GRPC"))).isTrue();
        assertThat(GrpcErrorResponse.isGrpc(new DefaultHttpHeaders().set("content-type", "application/grpc-web"))).isFalse();
        assertThat(GrpcErrorResponse.isGrpc(new DefaultHttpHeaders().set("content-type", "text/html"))).isFalse();
        assertThat(GrpcErrorResponse.isGrpc(new DefaultHttpHeaders())).isFalse();
    }

    @Test
    void theProxysErrorsBecomeTrailersOnlyStatuses()
    {
        final FullHttpResponse timeout = GrpcErrorResponse.of(HttpResponseStatus.GATEWAY_TIMEOUT, "too slow: 100% late");
        try
        {
            assertThat(timeout.status()).isEqualTo(HttpResponseStatus.OK);
            assertThat(timeout.content().isReadable()).isFalse();
            assertThat(timeout.headers().get("grpc-status")).isEqualTo("4");
            assertThat(timeout.headers().get("grpc-message")).isEqualTo("too slow: 100%25 late");
        }
        finally
        {
            timeout.release();
        }
        assertThat(GrpcErrorResponse.code(502)).isEqualTo(14);
        assertThat(GrpcErrorResponse.code(503)).isEqualTo(14);
        assertThat(GrpcErrorResponse.code(404)).isEqualTo(12);
        assertThat(GrpcErrorResponse.code(413)).isEqualTo(8);
        assertThat(GrpcErrorResponse.code(500)).isEqualTo(2);
        assertThat(GrpcErrorResponse.percentEncoded("é")).isEqualTo("%C3%A9");
    }
}
