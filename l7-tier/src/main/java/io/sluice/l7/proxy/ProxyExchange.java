package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.l7.accesslog.AccessLogEntry;
import io.sluice.l7.config.Timeouts;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.http.RequestRefusedException;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response, from the request head to the response's last byte: the state
 * both legs share, all on the client connection's event loop. The request streams to the
 * backend as it arrives (held only while the connection is being made), the response streams
 * to the client; the backend connection goes back to the event loop's pool when both ended
 * cleanly and the backend keeps it alive.
 */
final class ProxyExchange
{
    private final FrontendHandler frontend;
    /** The request head as sent; a retry replaces it with a copy (the first went with its buffer). */
    private HttpRequest request;
    private static final java.util.Set<HttpMethod> IDEMPOTENT = java.util.Set.of(
        HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);
    private RoutedRequest routed;
    /** Tries so far; a request is retried once at most. */
    private int attempts = 1;
    /** Body bytes the client sent: a request with a body is never retried. */
    private long bodyBytes;
    /** A 502 or 503 from the backend being swallowed for a retry: its body is dropped. */
    private boolean discarding;
    private final boolean clientKeepAlive;
    /** Body chunks that came before the backend connection was there; made when the first does. */
    private ArrayDeque<HttpContent> early;
    private Channel backend;
    /** The backend connection's handler while it is lent to this exchange. */
    private BackendHandler backendHandler;
    private boolean requestComplete;
    private boolean responseStarted;
    private boolean responseComplete;
    /** A 1xx response (100 Continue) is on its way: its end is not the exchange's. */
    private boolean informational;
    private boolean backendKeepAlive;
    private boolean finished;
    /** The request head went to a backend (which then owns it), or was released. */
    private boolean requestSent;
    private int status;
    private final Timeouts timeouts;
    private final ExchangeObservers observers;
    private final InetSocketAddress client;
    /** For the access log: the method and target as the client sent them (before any rewrite). */
    private final String method;
    private final String path;
    private String requestId;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private long responseBytes;
    /** The whole-request timeout, from the request head to the response's end; null once over. */
    private ScheduledFuture<?> deadline;
    /** A WebSocket upgrade was accepted (101): both legs relay raw bytes until either closes. */
    private boolean upgraded;
    /** A server-sent-events response: it has no end to wait for, only an idle timeout. */
    private boolean streaming;
    /** Why the proxy refused this request, or null: for the metrics and the access log. */
    private RequestRefusal refused;
    /** The largest body this request may have (its route's max_body, else the proxy's). */
    private final long maxBodyBytes;

    ProxyExchange(final FrontendHandler frontend, final HttpRequest request, final RoutedRequest routed, final boolean clientKeepAlive,
        final Timeouts timeouts, final ExchangeObservers observers, final InetSocketAddress client)
    {
        this.frontend = frontend;
        this.request = request;
        this.routed = routed;
        this.clientKeepAlive = clientKeepAlive;
        this.timeouts = timeouts;
        this.observers = observers;
        this.client = client;
        this.method = request.method().name();
        this.path = request.uri();
        this.requestId = request.headers().get(ForwardedHeaders.X_REQUEST_ID);
        this.maxBodyBytes = routed.maxBodyBytes() == RoutedRequest.PROXY_LIMIT ? frontend.limits().maxBodyBytes() : routed.maxBodyBytes();
    }

    /** The id the request goes on with (the client's, or one the proxy made up). */
    void requestId(final String requestId)
    {
        this.requestId = requestId;
    }

    /** An upgraded (WebSocket) or streaming (server-sent events) exchange: only the long idle timeout ends it. */
    boolean longLived()
    {
        return upgraded || streaming;
    }

    boolean upgraded()
    {
        return upgraded;
    }

    boolean requestComplete()
    {
        return requestComplete;
    }

    boolean backendConnected()
    {
        return backend != null;
    }

    /** The request head came with its whole body (a FullHttpRequest): nothing more will arrive. */
    void wholeRequestArrived()
    {
        requestComplete = true;
    }

    /** No backend for it: the proxy answers itself (404, 503); the rest of its body is read and dropped. */
    void refuse(final HttpResponseStatus refusal)
    {
        respond(refusal, refusal == HttpResponseStatus.NOT_FOUND ? "no route for this request" : "no server available");
    }

    /**
     * @param inClientRead called while the client's read is being handled: a pooled connection,
     *                     there at once, is then flushed by that read's end instead of here.
     */
    void connect(final ChannelFuture connecting, final boolean inClientRead)
    {
        final boolean pooled = inClientRead && connecting.isDone();
        if (frontend.clock() == null && deadline == null && attempts == 1) // an HTTP/2 stream times itself
        {
            deadline = frontend.channel().eventLoop().schedule(this::timedOut, timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
        }
        connecting.addListener((ChannelFutureListener)(future) ->
        {
            if (!future.isSuccess())
            {
                if (finished)
                {
                    return;
                }
                if (retriable())
                {
                    retry(HttpResponseStatus.BAD_GATEWAY, "cannot connect to the backend: " + future.cause().getMessage());
                    return;
                }
                releaseEarly();
                respond(HttpResponseStatus.BAD_GATEWAY, "cannot connect to the backend: " + future.cause().getMessage());
                return;
            }
            if (finished)
            {
                future.channel().close(); // the client went away while we connected
                return;
            }
            attach(future.channel(), pooled);
        });
    }

    private void attach(final Channel channel, final boolean flushedByRead)
    {
        backend = channel;
        backendHandler = channel.pipeline().get(BackendHandler.class);
        backendHandler.lend(this);
        requestSent = true;
        channel.write(request, channel.voidPromise());
        HttpContent content;
        while (early != null && (content = early.poll()) != null)
        {
            channel.write(content, channel.voidPromise());
        }
        if (!flushedByRead)
        {
            channel.flush();
        }
        frontend.readWhileBackendTakesMore(channel.isWritable());
        frontend.channel().read();
    }

    void requestContent(final HttpContent content)
    {
        if (content.decoderResult().isFailure())
        {
            content.release();
            requestBodyRefused(RequestRefusedException.of(content.decoderResult().cause()));
            return;
        }
        final boolean last = content instanceof LastHttpContent;
        bodyBytes += content.content().readableBytes();
        if (bodyBytes > maxBodyBytes)
        {
            content.release();
            requestBodyRefused(tooLarge());
            return;
        }
        if (routed.backend() == null || responseComplete)
        {
            content.release(); // answered already: the body goes nowhere
        }
        else if (backend == null)
        {
            if (early == null)
            {
                early = new ArrayDeque<>();
            }
            early.add(content);
        }
        else
        {
            backend.write(content, backend.voidPromise());
        }
        if (last)
        {
            requestComplete = true;
            if (responseComplete)
            {
                backend = null;
                frontend.exchangeDone(this);
            }
        }
    }

    void flushToBackend()
    {
        if (backend != null)
        {
            backend.flush();
        }
    }

    void clientWritabilityChanged(final boolean writable)
    {
        if (backend != null && !responseComplete)
        {
            backend.config().setAutoRead(writable);
        }
    }

    void backendWritabilityChanged(final boolean writable)
    {
        if (!requestComplete || upgraded)
        {
            frontend.readWhileBackendTakesMore(writable);
        }
    }

    void response(final HttpResponse response)
    {
        if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code() && WebSockets.isUpgrade(request))
        {
            upgrade(response);
            return;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL &&
            response.status().code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code())
        {
            informational = true;
            frontend.write(response);
            return;
        }
        final int code = response.status().code();
        if ((code == HttpResponseStatus.BAD_GATEWAY.code() || code == HttpResponseStatus.SERVICE_UNAVAILABLE.code()) && retriable())
        {
            discarding = true; // another server may do better; this answer never reaches the client
            status = code;
            return;
        }
        responseStarted = true;
        status = code;
        backendKeepAlive = HttpUtil.isKeepAlive(response);
        ForwardedHeaders.removeHopByHop(response.headers());
        routed.editResponseHeaders(response.headers());
        HttpUtil.setKeepAlive(response, clientKeepAlive && !frontend.closeAfterExchange());
        if (response.headers().containsValue(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_EVENT_STREAM, true))
        {
            streaming = true;
            cancelDeadline();
            frontend.longLived();
        }
        frontend.write(response);
    }

    void responseContent(final HttpContent content)
    {
        if (!discarding)
        {
            responseBytes += content.content().readableBytes();
        }
        if (upgraded)
        {
            content.release(); // the empty end the client codec gives the 101 before it is removed
            return;
        }
        if (discarding)
        {
            final boolean last = content instanceof LastHttpContent;
            content.release();
            if (last)
            {
                discarding = false;
                final Channel failed = backend;
                backend = null;
                takeBackendBack();
                failed.close();
                retry(HttpResponseStatus.valueOf(status), "the backend answered " + status);
            }
            return;
        }
        frontend.write(content);
        if (content instanceof LastHttpContent)
        {
            if (informational)
            {
                informational = false;
                return;
            }
            responseEnd();
        }
    }

    void flushToClient()
    {
        frontend.channel().flush();
    }

    private void responseEnd()
    {
        responseComplete = true;
        finish(status);
        final Channel channel = backend;
        if (backendKeepAlive && requestComplete)
        {
            takeBackendBack();
            channel.config().setAutoRead(true);
            frontend.backends().release(routed.backend(), channel);
        }
        else
        {
            channel.close();
        }
        final Channel client = frontend.channel();
        if (!clientKeepAlive || !requestComplete || frontend.closeAfterExchange())
        {
            // Closed or not allowed to continue: the rest of an unread request body cannot be skipped safely.
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client.flush(); // here: the backend's handler no longer knows this exchange when its end-of-read comes
        backend = null;
        frontend.exchangeDone(this);
    }

    /**
     * WebSocket: the 101 goes to the client with its Upgrade headers, then both HTTP codecs come
     * out of the pipelines and the legs relay bytes as they are; the backend connection is the
     * upgraded stream's alone now and never returns to the pool.
     */
    private void upgrade(final HttpResponse response)
    {
        upgraded = true;
        responseStarted = true;
        status = response.status().code();
        cancelDeadline();
        ForwardedHeaders.removeHopByHop(response.headers());
        routed.editResponseHeaders(response.headers());
        WebSockets.keepUpgradeHeaders(response.headers());
        backend.pipeline().remove(BackendConnections.HTTP_CODEC); // what follows the 101 reaches the handler raw
        frontend.writeObserved(response).addListener((ChannelFutureListener)(future) -> frontend.upgraded());
        frontend.channel().flush();
    }

    /** Upgraded: bytes from the client to the backend. */
    void requestBytes(final ByteBuf bytes)
    {
        if (backend == null)
        {
            bytes.release();
            return;
        }
        backend.write(bytes, backend.voidPromise());
    }

    /** Upgraded: bytes from the backend to the client. */
    void responseBytes(final ByteBuf bytes)
    {
        frontend.write(bytes);
    }

    /**
     * Whether this request may go to another server after a failure: idempotent (RFC 9110
     * 9.2.2), with no body (so nothing of it has to be sent twice), and not retried already.
     */
    private boolean retriable()
    {
        return attempts < 2 && requestComplete && bodyBytes == 0 && !finished && IDEMPOTENT.contains(request.method());
    }

    /**
     * Sends the request again, to the server the router gives instead, or answers {@code failure}
     * with {@code reason} when it gives none.
     */
    private void retry(final HttpResponseStatus failure, final String reason)
    {
        final RoutedRequest next = routed.retry(failure.code());
        if (next == null)
        {
            releaseEarly();
            respond(failure, reason + "; no other server to try");
            return;
        }
        attempts++;
        routed = next;
        releaseEarly(); // the end of a body-less request, replaced by the full request below
        request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), next.uri(), Unpooled.EMPTY_BUFFER,
            request.headers().copy(), EmptyHttpHeaders.INSTANCE);
        connect(frontend.backends().acquire(next.backend()), false);
    }

    /** The whole-request timeout: 504 if no response began, else the connection closes. */
    void timedOut()
    {
        deadline = null;
        if (responseComplete || finished || longLived())
        {
            return;
        }
        final Channel channel = backend;
        backend = null;
        if (responseStarted)
        {
            finish(0);
            frontend.channel().close();
        }
        else
        {
            respond(HttpResponseStatus.GATEWAY_TIMEOUT, "the backend did not answer within " + timeouts.request().toMillis() + " ms");
        }
        if (channel != null)
        {
            channel.close();
        }
    }

    private void cancelDeadline()
    {
        if (deadline != null)
        {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** The backend connection closed (or failed) before the response ended. */
    void backendInactive()
    {
        if (upgraded)
        {
            finish(status);
            frontend.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (responseComplete || finished)
        {
            return;
        }
        backend = null;
        if (responseStarted)
        {
            finish(0);
            frontend.channel().close(); // part of the response went out: only closing tells the client
            return;
        }
        if (retriable())
        {
            discarding = false;
            // e.g. a pooled connection the server had just closed
            retry(HttpResponseStatus.BAD_GATEWAY, "the backend closed the connection without a response");
            return;
        }
        respond(HttpResponseStatus.BAD_GATEWAY, "the backend closed the connection without a response");
    }

    /** The client connection closed. */
    void clientGone()
    {
        releaseUnsentRequest();
        releaseEarly();
        finish(upgraded ? status : 0);
        if (backend != null && (!responseComplete || upgraded))
        {
            backend.close();
        }
    }

    /**
     * A request the proxy will not forward (its head failed the checks, or its body is over the
     * limit before it began): answered with the refusal's status, or on an HTTP/2 stream reset
     * with PROTOCOL_ERROR when it is malformed (RFC 9113 8.1.1); then the connection closes (or
     * the stream ends), since nothing after a request in doubt can be trusted. Counted by reason.
     */
    void refuse(final RequestRefusedException refusal)
    {
        refused = refusal.reason();
        releaseEarly();
        frontend.channel().config().setAutoRead(false); // whatever follows is not read as requests
        if (frontend.onHttp2Stream() && refused.status() == HttpResponseStatus.BAD_REQUEST.code())
        {
            // counted as http2_malformed with every other reset of the kind (Http2Refusals); the access log has the reason
            releaseUnsentRequest();
            responseComplete = true;
            finish(0);
            frontend.resetStream();
            return;
        }
        observers.metrics().requestRefused(refused);
        respond(HttpResponseStatus.valueOf(refused.status()), refusal.getMessage(), true);
    }

    /** Whether a body of that length is over this request's limit. */
    boolean bodyTooLarge(final long length)
    {
        return length > maxBodyBytes;
    }

    RequestRefusedException tooLarge()
    {
        return new RequestRefusedException(RequestRefusal.BODY_TOO_LARGE, "the request body is longer than the limit of " + maxBodyBytes + " bytes");
    }

    /**
     * The body of a request already on its way turned out bad (a chunk in error, over the
     * limit): the backend connection closes before the request's end reaches it, so it never
     * takes the request as whole; the client gets the refusal's status if no response began,
     * else its connection is closed.
     */
    private void requestBodyRefused(final RequestRefusedException refusal)
    {
        requestComplete = true;
        releaseEarly();
        final Channel channel = backend;
        backend = null;
        takeBackendBack();
        if (channel != null)
        {
            channel.close();
        }
        if (responseStarted || responseComplete || finished)
        {
            if (refused == null)
            {
                refused = refusal.reason();
                observers.metrics().requestRefused(refused);
            }
            finish(0);
            frontend.channel().close();
            return;
        }
        refuse(refusal);
    }

    /** An answer of the proxy's own; the exchange ends with it. */
    private void respond(final HttpResponseStatus answer, final String reason)
    {
        respond(answer, reason, !clientKeepAlive);
    }

    private void respond(final HttpResponseStatus answer, final String reason, final boolean close)
    {
        releaseUnsentRequest();
        final FullHttpResponse response = FrontendHandler.errorResponse(answer, reason);
        responseBytes += response.content().readableBytes();
        if (close)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        responseComplete = true;
        finish(answer.code());
        final ChannelFuture written = frontend.channel().writeAndFlush(response);
        if (close)
        {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        else if (requestComplete)
        {
            frontend.exchangeDone(this);
        }
        // else: the body still coming is read and dropped (requestContent), then the next request goes on.
    }

    private void finish(final int finalStatus)
    {
        cancelDeadline();
        if (!finished)
        {
            finished = true;
            routed.finished(finalStatus);
            final long durationNanos = System.nanoTime() - startNanos;
            observers.metrics().exchangeFinished(routed.routeName(), routed.poolName(), routed.serverName(), finalStatus,
                bodyBytes, responseBytes, durationNanos);
            if (observers.accessLog() != null)
            {
                observers.accessLog().log(new AccessLogEntry(startMillis, client, method, path, routed.routeName(),
                    routed.poolName(), routed.serverName(), finalStatus, bodyBytes, responseBytes, durationNanos, requestId,
                    refused == null ? null : refused.label()));
            }
        }
    }

    /** A request never written to a backend: its own buffer (a FullHttpRequest's) is released here. */
    private void releaseUnsentRequest()
    {
        if (!requestSent)
        {
            requestSent = true;
            ReferenceCountUtil.release(request);
        }
    }

    /** The backend connection is no longer this exchange's: its events stop reaching it. */
    private void takeBackendBack()
    {
        if (backendHandler != null)
        {
            backendHandler.takeBack();
            backendHandler = null;
        }
    }

    private void releaseEarly()
    {
        HttpContent content;
        while (early != null && (content = early.poll()) != null)
        {
            content.release();
        }
    }
}
