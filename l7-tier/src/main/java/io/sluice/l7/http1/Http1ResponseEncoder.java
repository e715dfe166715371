package io.sluice.l7.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;

/**
 * Netty's response encoder, told which request each response answers (RFC 9112 6.3): a response
 * to HEAD has no body even when it carries Content-Length or chunked, and a 2xx to CONNECT has no
 * body and no framing fields (the connection is a tunnel from its end). What
 * {@code HttpServerCodec}'s own encoder does, for {@link StrictRequestDecoder}'s requests.
 */
final class Http1ResponseEncoder extends HttpResponseEncoder
{
    private final RequestMethods methods;
    /** Whether the response being encoded is a 2xx to CONNECT: set by {@link #isContentAlwaysEmpty}, read just after. */
    private boolean tunnel;

    Http1ResponseEncoder(final RequestMethods methods)
    {
        this.methods = methods;
    }

    /** Called once per response head, before {@link #sanitizeHeadersBeforeEncode}. */
    @Override
    protected boolean isContentAlwaysEmpty(final HttpResponse response)
    {
        tunnel = false;
        final HttpResponseStatus status = response.status();
        if (status.codeClass() == HttpStatusClass.INFORMATIONAL && status.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code())
        {
            // 100 Continue, 103 Early Hints: interim, the request's final response is still to come.
            return super.isContentAlwaysEmpty(response);
        }
        final byte method = methods.poll();
        if (method == RequestMethods.HEAD)
        {
            return true;
        }
        if (method == RequestMethods.CONNECT && status.codeClass() == HttpStatusClass.SUCCESS)
        {
            tunnel = true;
            return true;
        }
        return super.isContentAlwaysEmpty(response);
    }

    @Override
    protected void sanitizeHeadersBeforeEncode(final HttpResponse response, final boolean isAlwaysEmpty)
    {
        if (tunnel)
        {
            // RFC 9110 9.3.6: a 2xx to CONNECT has neither; a client would wait for a body that is tunnel bytes.
            response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            return;
        }
        super.sanitizeHeadersBeforeEncode(response, isAlwaysEmpty);
    }
}
