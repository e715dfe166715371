package io.sluice.l7.grpc;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

import java.nio.charset.StandardCharsets;

/**
 * The proxy's own error for a gRPC call: HTTP 200 with grpc-status and grpc-message and no body,
 * which goes out as one HEADERS frame that ends the stream (a trailers-only response). The code
 * follows gRPC's mapping of HTTP statuses (doc/http-grpc-status-mapping.md), but for a timeout,
 * which is the call's deadline passing: DEADLINE_EXCEEDED.
 */
public final class GrpcErrorResponse
{
    public static final String GRPC_STATUS = "grpc-status";
    public static final String GRPC_MESSAGE = "grpc-message";
    private static final AsciiString APPLICATION_GRPC = AsciiString.cached("application/grpc");
    private static final int INTERNAL = 13;
    private static final int UNAVAILABLE = 14;
    private static final int DEADLINE_EXCEEDED = 4;
    private static final int UNIMPLEMENTED = 12;
    private static final int RESOURCE_EXHAUSTED = 8;
    private static final int PERMISSION_DENIED = 7;
    private static final int UNAUTHENTICATED = 16;
    private static final int UNKNOWN = 2;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private GrpcErrorResponse()
    {
    }

    /** Whether the request is a gRPC call: its content-type is application/grpc or application/grpc+FORMAT. */
    public static boolean isGrpc(final HttpHeaders headers)
    {
        final String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, APPLICATION_GRPC.toString(), 0, APPLICATION_GRPC.length()) &&
            (type.length() == APPLICATION_GRPC.length() || type.charAt(APPLICATION_GRPC.length()) == '+' ||
                type.charAt(APPLICATION_GRPC.length()) == ';');
    }

    /** The answer to a gRPC call the proxy would have answered {@code status} with {@code reason}. */
    public static FullHttpResponse of(final HttpResponseStatus status, final String reason)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.EMPTY_BUFFER);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, APPLICATION_GRPC)
            .set(GRPC_STATUS, code(status.code()))
            .set(GRPC_MESSAGE, percentEncoded(reason));
        HttpUtil.setContentLength(response, 0); // an HTTP/1.1 client reads no body; on HTTP/2 the stream ends with the headers
        return response;
    }

    static int code(final int httpStatus)
    {
        return switch (httpStatus)
        {
            case 400 -> INTERNAL;
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404 -> UNIMPLEMENTED;
            case 413, 431 -> RESOURCE_EXHAUSTED;
            case 429, 502, 503 -> UNAVAILABLE;
            case 504 -> DEADLINE_EXCEEDED;
            default -> UNKNOWN;
        };
    }

    /** grpc-message's encoding: UTF-8, with '%' and every byte outside printable ASCII as %XX. */
    static String percentEncoded(final String message)
    {
        final byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        final StringBuilder out = new StringBuilder(utf8.length);
        for (final byte b : utf8)
        {
            if (b >= ' ' && b <= '~' && b != '%')
            {
                out.append((char)b);
            }
            else
            {
                out.append('%').append((char)HEX[(b >> 4) & 0xF]).append((char)HEX[b & 0xF]);
            }
        }
        return out.toString();
    }
}
