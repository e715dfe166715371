package io.sluice.l7.grpc;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What tells a gRPC call, and the gRPC statuses the proxy's own errors become. */
class GrpcStatusMappingTest
{
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
