package io.sluice.l7.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.l7.config.Timeouts;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.filter.RequestFilter;
import io.sluice.l7.grpc.GrpcErrorResponse;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.http.RequestRefusedException;
import io.sluice.l7.metrics.L7Metrics;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One request and its response, from the request head to the response's last byte, all on the
 * client connection's event loop: a state machine ({@link ExchangeState}) whose every event (the
 * client's body, the backend's connection, response and end, a timeout, either side closing)
 * is one method that switches on the state, and whose every transition goes through
 * {@link #enter}. The route's request filters see the head first and may answer it; then the
 * request streams to the backend as it arrives (held only while the connection is being made),
 * and the response streams to the client through the route's response filters. The backend
 * connection goes back to the event loop's pool when both ended cleanly and the backend keeps it
 * alive. Retry policy, the request deadline, the upgrade relay, the filters at work and the
 * recorder are classes of their own; the client connection is reached through
 * {@link ClientConnection} only. Before each try leaves, the routed request takes a place on its
 * server under the pool's limits ({@link RoutedRequest#admit}), or waits for one in the pool's queue.
 *
 * <p>It is the listener of its own backend connection's future, and of its wait in a queue, so
 * those cost no object per request.
 */
final class ProxyExchange implements ChannelFutureListener, RoutedRequest.Waiting
{
    private static final String DEADLINE_PASSED = "the deadline passed before the request reached a backend";
    /** A try's outcome for the server's record (outlier ejection) when the server was not asked: nothing. */
    private static final int NOT_ASKED = 0;
    /** What a 503 for a full pool tells clients: slots free as requests end, usually within a second. */
    private static final int RETRY_AFTER_SECONDS = 1;

    private final ClientConnection client;
    private final BackendConnections backends;
    private final ExchangeRecorder recorder;
    private final Timeouts timeouts;
    private final InetSocketAddress clientAddress;
    private final boolean clientKeepAlive;
    /** The largest body this request may have (its route's max_body, else the proxy's). */
    private final long maxBodyBytes;
    /** An HTTP/2 stream's exchange times itself ({@link RequestDeadline}); a connection's clock times the others. */
    private final boolean timesItself;
    /** The route's filters at work on this exchange, or null when the route has none. */
    private final ExchangeFilters filters;
    private ExchangeState state = ExchangeState.FILTERING;
    /** The request head as sent; a retry replaces it with a copy (the first went with its buffer). */
    private HttpRequest request;
    private RoutedRequest routed;
    /** Tries so far ({@link RetryPolicy}). */
    private int attempts = 1;
    /** Body bytes the client sent: a request with a body is never retried. */
    private long bodyBytes;
    /** Body chunks that came before the backend connection was there; made when the first does. */
    private ArrayDeque<HttpContent> early;
    private Channel backend;
    /** The backend connection's handler while it is lent to this exchange. */
    private BackendHandler backendHandler;
    /** The connection being made was there at once, in the client's read, whose end flushes it. */
    private boolean flushedByRead;
    private boolean requestComplete;
    private boolean backendKeepAlive;
    /** The request head went to a backend (which then owns it), or was released. */
    private boolean requestSent;
    /** The backend's status, for the end's report. */
    private int status;
    private RequestDeadline deadline;
    /** The response head a body transformer holds until its first output, or null. */
    private HttpResponse heldHead;

    /**
     * @param timesItself whether the exchange keeps its own request deadline (an HTTP/2 stream's,
     *                    which has no connection clock).
     */
    ProxyExchange(final ClientConnection client, final BackendConnections backends, final HttpRequest request,
        final RoutedRequest routed, final boolean clientKeepAlive, final long maxBodyBytes, final Timeouts timeouts,
        final ExchangeObservers observers, final InetSocketAddress clientAddress, final boolean timesItself)
    {
        this.client = client;
        this.backends = backends;
        this.request = request;
        this.routed = routed;
        this.filters = routed.filters() == FilterChain.NONE ? null : new ExchangeFilters(this, routed.filters());
        this.clientKeepAlive = clientKeepAlive;
        this.maxBodyBytes = maxBodyBytes;
        this.timeouts = timeouts;
        this.clientAddress = clientAddress;
        this.timesItself = timesItself;
        this.recorder = new ExchangeRecorder(observers, clientAddress, request, filters);
    }

    /** The one place the state changes: a transition {@link ExchangeState#mayGoTo} does not allow is a bug. */
    private void enter(final ExchangeState next)
    {
        if (!state.mayGoTo(next))
        {
            throw new IllegalStateException("exchange cannot go from " + state + " to " + next);
        }
        state = next;
        if (next.longLived())
        {
            cancelDeadline(); // only the long idle timeout ends it now
        }
    }

    ExchangeState state()
    {
        return state;
    }

    /** The id the request goes on with (the client's, or one the proxy made up). */
    void requestId(final String requestId)
    {
        recorder.requestId(requestId);
    }

    /** An upgraded (WebSocket) or streaming (server-sent events) exchange: only the long idle timeout ends it. */
    boolean longLived()
    {
        return state.longLived();
    }

    boolean upgraded()
    {
        return state == ExchangeState.UPGRADED;
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

    // ---- the request: filters, then the backend ----

    /** The head is ready for the route (the proxy's own headers set): the filters take it, then the backend. */
    void forward()
    {
        if (timesItself)
        {
            deadline = new RequestDeadline(this);
            deadline.start(client.channel().eventLoop(), request.headers(), timeouts.request());
        }
        runRequestFilters();
    }

    private void runRequestFilters()
    {
        if (filters != null)
        {
            final RequestFilter.Outcome outcome = filters.runRequestFilters(request);
            if (outcome == RequestFilter.Outcome.PENDING && state == ExchangeState.FILTERING)
            {
                client.channel().config().setAutoRead(false); // the body waits for the filter's verdict
                return;
            }
            if (outcome != RequestFilter.Outcome.CONTINUE)
            {
                return; // answered (or resumed already, from inside the filter)
            }
        }
        if (deadlinePassed(NOT_ASKED))
        {
            return;
        }
        admitThenConnect(client.inRead());
    }

    /** A place on a server under the pool's limits first (or a wait for one in its queue), then the backend connection. */
    private void admitThenConnect(final boolean inClientRead)
    {
        switch (routed.admit(this, client.channel().eventLoop()))
        {
            case ADMITTED -> connectAdmitted(inClientRead);
            case QUEUED ->
            {
                enter(ExchangeState.QUEUED);
                recorder.queued();
                client.channel().config().setAutoRead(false); // the body waits with the request
            }
            case QUEUE_FULL ->
            {
                recorder.queueOverflow(routed.poolName());
                overloaded(RequestRefusal.QUEUE_FULL, "no server of the pool has room, and its queue is full");
            }
        }
    }

    private void connectAdmitted(final boolean inClientRead)
    {
        final ChannelFuture connecting = backends.acquire(routed, client.channel());
        if (!connecting.isDone())
        {
            // Until the backend connection is there to take the body. A pooled connection is
            // there at once: turning reading off and on again would cost two epoll_ctl calls a request.
            client.channel().config().setAutoRead(false);
        }
        connect(connecting, inClientRead);
    }

    /** Its turn in the pool's queue came: a slot is taken for it. */
    @Override
    public void admitted()
    {
        recorder.leftQueue(routed.poolName());
        if (!deadlinePassed(NOT_ASKED))
        {
            connectAdmitted(false);
        }
    }

    /** Its turn in the pool's queue did not come within the queue's timeout. */
    @Override
    public void waitedTooLong()
    {
        recorder.queueTimedOut(routed.poolName());
        overloaded(RequestRefusal.QUEUE_TIMEOUT, "no server of the pool had room within its queue timeout");
    }

    /** @param inClientRead called in the client's read: a connection there at once is flushed by that read's end. */
    private void connect(final ChannelFuture connecting, final boolean inClientRead)
    {
        enter(ExchangeState.CONNECTING);
        flushedByRead = inClientRead && connecting.isDone();
        connecting.addListener(this);
    }

    /** The backend connection is made, or failed. */
    @Override
    public void operationComplete(final ChannelFuture future)
    {
        if (state != ExchangeState.CONNECTING)
        {
            if (future.isSuccess())
            {
                future.channel().close(); // the exchange ended while we connected
            }
            return;
        }
        if (!future.isSuccess())
        {
            final String reason = "cannot connect to the backend: " + future.cause().getMessage();
            if (retriable())
            {
                retry(HttpResponseStatus.BAD_GATEWAY, reason);
                return;
            }
            respond(HttpResponseStatus.BAD_GATEWAY, reason, !clientKeepAlive);
            return;
        }
        final Channel channel = future.channel();
        if (deadline != null && !deadline.stamp(request.headers()))
        {
            backends.release(routed.backend(), routed.sendProxy(), client.channel(), channel); // unused: kept, or a stream closed
            deadlineExceeded(NOT_ASKED);
            return;
        }
        enter(ExchangeState.AWAITING_RESPONSE);
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
        client.readWhileBackendTakesMore(channel.isWritable());
        client.channel().read();
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
        switch (state)
        {
            case FILTERING, QUEUED, CONNECTING ->
            {
                if (early == null)
                {
                    early = new ArrayDeque<>();
                }
                early.add(content);
            }
            case DONE, ABORTED -> content.release(); // answered already: the body goes nowhere
            default -> backend.write(content, backend.voidPromise());
        }
        if (last)
        {
            requestComplete = true;
            if (state == ExchangeState.DONE)
            {
                backend = null;
                client.exchangeDone(this);
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
        if (backend != null && !state.ended())
        {
            backend.config().setAutoRead(writable);
        }
    }

    void backendWritabilityChanged(final boolean writable)
    {
        if (!requestComplete || state == ExchangeState.UPGRADED)
        {
            client.readWhileBackendTakesMore(writable);
        }
    }

    // ---- the response ----

    void response(final HttpResponse response)
    {
        if (state != ExchangeState.AWAITING_RESPONSE)
        {
            ReferenceCountUtil.release(response); // the exchange ended (timed out, say) while it was on its way
            return;
        }
        if (UpgradeRelay.accepts(request, response))
        {
            if (WebSockets.acceptAnswersKey(request.headers(), response.headers()))
            {
                upgrade(response);
            }
            else
            {
                upgradeNotAnswered();
            }
            return;
        }
        final int code = response.status().code();
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL && code != HttpResponseStatus.SWITCHING_PROTOCOLS.code())
        {
            enter(ExchangeState.INFORMATIONAL);
            client.write(response);
            return;
        }
        status = code;
        if (RetryPolicy.retriableStatus(code) && retriable())
        {
            enter(ExchangeState.DISCARDING); // another server may do better; this answer never reaches the client
            return;
        }
        backendKeepAlive = HttpUtil.isKeepAlive(response);
        ForwardedHeaders.removeHopByHop(response.headers());
        if (filters != null)
        {
            filters.runResponseFilters(response);
        }
        routed.editResponseHeaders(response.headers());
        if (!client.onHttp2Stream())
        {
            // an HTTP/2 stream says nothing of its connection (RFC 9113 8.2.2): the codec drops Connection anyway
            HttpUtil.setKeepAlive(response, clientKeepAlive && !client.closeAfterExchange());
        }
        if (response.headers().containsValue(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_EVENT_STREAM, true))
        {
            enter(ExchangeState.EVENT_STREAM);
            client.longLived();
        }
        else
        {
            enter(ExchangeState.STREAMING);
        }
        if (filters != null && filters.headHeld())
        {
            heldHead = response; // it goes just before the body's first transformed output
            return;
        }
        client.write(response);
    }

    void responseContent(final HttpContent content)
    {
        final boolean last = content instanceof LastHttpContent;
        switch (state)
        {
            case STREAMING, EVENT_STREAM ->
            {
                final HttpContent passing = filters == null ? content : filters.transform(content);
                if (passing != null)
                {
                    if (heldHead != null)
                    {
                        client.write(heldHead);
                        heldHead = null;
                    }
                    recorder.responseBytes(passing.content().readableBytes());
                    client.write(passing);
                }
                if (last)
                {
                    responseEnd();
                }
            }
            case INFORMATIONAL ->
            {
                recorder.responseBytes(content.content().readableBytes());
                client.write(content);
                if (last)
                {
                    enter(ExchangeState.AWAITING_RESPONSE); // the final response is still to come
                }
            }
            case DISCARDING ->
            {
                content.release();
                if (last)
                {
                    final Channel failed = backend;
                    backend = null;
                    takeBackendBack();
                    failed.close();
                    retry(HttpResponseStatus.valueOf(status), "the backend answered " + status);
                }
            }
            // UPGRADED: the empty end the client codec gives the 101 before it is removed; ended: nobody's.
            default -> content.release();
        }
    }

    void flushToClient()
    {
        client.channel().flush();
    }

    private void responseEnd()
    {
        finish(ExchangeState.DONE, status);
        final Channel channel = backend;
        if (backendKeepAlive && requestComplete)
        {
            takeBackendBack();
            channel.config().setAutoRead(true);
            backends.release(routed.backend(), routed.sendProxy(), client.channel(), channel);
        }
        else
        {
            channel.close();
        }
        final Channel clientChannel = client.channel();
        if (!clientKeepAlive || !requestComplete || client.closeAfterExchange())
        {
            // Closed or not allowed to continue: the rest of an unread request body cannot be skipped safely.
            clientChannel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        clientChannel.flush(); // here: the backend's handler no longer knows this exchange when its end-of-read comes
        backend = null;
        client.exchangeDone(this);
    }

    private void upgrade(final HttpResponse response)
    {
        status = response.status().code();
        enter(ExchangeState.UPGRADED);
        ForwardedHeaders.removeHopByHop(response.headers());
        if (filters != null)
        {
            filters.runResponseFilters(response);
            filters.abandonTransformers(); // what follows is not HTTP: no body to transform
        }
        routed.editResponseHeaders(response.headers());
        UpgradeRelay.begin(backend, response, client);
    }

    /**
     * A 101 whose Sec-WebSocket-Accept does not answer the key: whatever the backend switched to
     * is not this WebSocket, so its connection closes and the client gets a 502.
     */
    private void upgradeNotAnswered()
    {
        final Channel channel = backend;
        backend = null;
        takeBackendBack();
        channel.close();
        respond(HttpResponseStatus.BAD_GATEWAY, "the backend's Sec-WebSocket-Accept does not answer the key", !clientKeepAlive);
    }

    /** Upgraded: the client ended its side (an HTTP/2 stream's END_STREAM); the backend's is half-closed. */
    void clientEnded()
    {
        UpgradeRelay.clientEnded(backend);
    }

    /** Upgraded: bytes from the client to the backend. */
    void requestBytes(final ByteBuf bytes)
    {
        UpgradeRelay.toBackend(backend, bytes);
    }

    /** Upgraded: bytes from the backend to the client. */
    void responseBytes(final ByteBuf bytes)
    {
        client.write(bytes);
    }

    // ---- failures, timeouts, ends ----

    private boolean retriable()
    {
        return !state.ended() && RetryPolicy.allows(request.method(), attempts, requestComplete, bodyBytes);
    }

    /**
     * Sends the request again, to the server the router gives instead, or answers {@code failure}
     * with {@code reason} when it gives none.
     */
    private void retry(final HttpResponseStatus failure, final String reason)
    {
        if (deadlinePassed(failure.code()))
        {
            return;
        }
        final RoutedRequest next = routed.retry(failure.code());
        if (next == null)
        {
            respond(failure, reason + "; no other server to try", !clientKeepAlive);
            return;
        }
        attempts++;
        routed = next;
        releaseEarly(); // the end of a body-less request, replaced by the full request below
        request = RetryPolicy.again(request);
        admitThenConnect(false);
    }

    /** The whole-request timeout: 504 if no response began, else the connection closes. */
    void timedOut()
    {
        final Channel channel = backend;
        switch (state)
        {
            case DONE, ABORTED, UPGRADED, EVENT_STREAM ->
            {
                return;
            }
            case STREAMING ->
            {
                backend = null;
                finish(ExchangeState.ABORTED, 0);
                client.channel().close();
            }
            default ->
            {
                backend = null;
                respond(HttpResponseStatus.GATEWAY_TIMEOUT, "the backend did not answer within " + requestTimeoutMs() + " ms",
                    !clientKeepAlive);
            }
        }
        if (channel != null)
        {
            channel.close();
        }
    }

    /** The route's request timeout, or on a stream (timed by itself) a gRPC call's own when that is shorter. */
    long requestTimeoutMs()
    {
        return deadline != null ? deadline.timeoutMs() : timeouts.request().toMillis();
    }

    /** On a stream (which times itself), whether the deadline has passed though its timer may not have run: answered if so. */
    private boolean deadlinePassed(final int outcome)
    {
        if (deadline == null || !deadline.passed())
        {
            return false;
        }
        deadlineExceeded(outcome);
        return true;
    }

    /**
     * The request cannot leave for a backend: its deadline passed first. Answered 504 (a gRPC
     * call's: DEADLINE_EXCEEDED); the routed server's try counts as {@code outcome}, its failure
     * before a retry, or nothing when it was not asked.
     */
    private void deadlineExceeded(final int outcome)
    {
        routed.finished(outcome);
        respond(HttpResponseStatus.GATEWAY_TIMEOUT, DEADLINE_PASSED, !clientKeepAlive);
    }

    private void cancelDeadline()
    {
        if (deadline != null)
        {
            deadline.cancel();
        }
    }

    /** The backend connection closed (or failed) before the response ended. */
    void backendInactive()
    {
        switch (state)
        {
            case UPGRADED ->
            {
                finish(ExchangeState.DONE, status);
                client.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            case STREAMING, EVENT_STREAM ->
            {
                backend = null;
                finish(ExchangeState.ABORTED, 0);
                client.channel().close(); // part of the response went out: only closing tells the client
            }
            case AWAITING_RESPONSE, INFORMATIONAL, DISCARDING ->
            {
                backend = null;
                final String reason = "the backend closed the connection without a response";
                if (retriable())
                {
                    retry(HttpResponseStatus.BAD_GATEWAY, reason); // e.g. a pooled connection the server had just closed
                    return;
                }
                respond(HttpResponseStatus.BAD_GATEWAY, reason, !clientKeepAlive);
            }
            default ->
            {
                // no backend of this exchange's (filtering, connecting), or ended: nothing to do
            }
        }
    }

    /** The client connection closed. */
    void clientGone()
    {
        releaseUnsentRequest();
        releaseEarly();
        if (state.ended())
        {
            return;
        }
        final boolean upgraded = state == ExchangeState.UPGRADED; // an upgraded exchange ends when either side closes
        finish(upgraded ? ExchangeState.DONE : ExchangeState.ABORTED, upgraded ? status : 0);
        if (backend != null)
        {
            backend.close();
        }
    }

    /** No backend for it: the proxy answers itself (404, 503); the rest of its body is read and dropped. */
    void refuse(final HttpResponseStatus refusal)
    {
        respond(refusal, refusal == HttpResponseStatus.NOT_FOUND ? "no route for this request" : "no server available", !clientKeepAlive);
    }

    /**
     * A request the proxy will not forward (its head failed the checks, or its body is over the
     * limit before it began): answered with the refusal's status, or on an HTTP/2 stream reset
     * with PROTOCOL_ERROR when it is malformed (RFC 9113 8.1.1); then the connection closes (or
     * the stream ends), since nothing after a request in doubt can be trusted. Counted by reason.
     */
    void refuse(final RequestRefusedException refusal)
    {
        releaseEarly();
        client.channel().config().setAutoRead(false); // whatever follows is not read as requests
        if (client.onHttp2Stream() && refusal.reason().status() == HttpResponseStatus.BAD_REQUEST.code())
        {
            // counted as http2_malformed with every other reset of the kind (Http2Refusals); the access log has the reason
            recorder.refusedUncounted(refusal.reason());
            releaseUnsentRequest();
            finish(ExchangeState.DONE, 0);
            client.resetStream();
            return;
        }
        recorder.refused(refusal.reason());
        respond(HttpResponseStatus.valueOf(refusal.reason().status()), refusal.getMessage(), true);
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
        if (state.responseStarted() || state.ended())
        {
            if (!recorder.refused())
            {
                recorder.refused(refusal.reason());
            }
            if (!state.ended())
            {
                finish(ExchangeState.ABORTED, 0);
            }
            client.channel().close();
            return;
        }
        refuse(refusal);
    }

    /** An answer of the proxy's own (a gRPC status to a gRPC call); the exchange ends with it, counted as {@code answer}. */
    private void respond(final HttpResponseStatus answer, final String reason, final boolean close)
    {
        final FullHttpResponse response = ownAnswer(answer, reason);
        // The route's response filters may put something of theirs in its place (a cache's stale copy).
        final FullHttpResponse answered = filters == null ? response : filters.proxyAnswer(response, status);
        answerWith(answered, close, answered == response ? answer.code() : answered.status().code());
    }

    private FullHttpResponse ownAnswer(final HttpResponseStatus answer, final String reason)
    {
        final FullHttpResponse response = GrpcErrorResponse.isGrpc(request.headers()) ? GrpcErrorResponse.of(answer, reason)
            : FrontendHandler.errorResponse(answer, reason);
        releaseUnsentRequest();
        releaseEarly();
        return response;
    }

    /**
     * The pool has no room for the request (its queue full, or its wait over): 503 with
     * Retry-After, the connection kept, the reason counted and logged.
     */
    private void overloaded(final RequestRefusal reason, final String why)
    {
        recorder.refused(reason);
        final FullHttpResponse response = ownAnswer(HttpResponseStatus.SERVICE_UNAVAILABLE, why);
        response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        answerWith(response, !clientKeepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE.code());
    }

    /** @param recordedStatus the status the exchange counts as (a gRPC error's HTTP 200 stands for the failure it reports). */
    private void answerWith(final FullHttpResponse response, final boolean close, final int recordedStatus)
    {
        recorder.responseBytes(response.content().readableBytes());
        if (close)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        finish(ExchangeState.DONE, recordedStatus);
        final ChannelFuture written = client.channel().writeAndFlush(response);
        if (close)
        {
            written.addListener(ChannelFutureListener.CLOSE);
        }
        else if (requestComplete)
        {
            client.exchangeDone(this);
        }
        else
        {
            // The body still coming is read and dropped (requestContent), then the next request goes on; reading
            // may have been paused for a backend connection or a pending filter that the answer made moot.
            client.channel().config().setAutoRead(true);
        }
    }

    /** The exchange ends: the deadline goes, the router hears the outcome, the recorder reports it. */
    private void finish(final ExchangeState end, final int finalStatus)
    {
        enter(end);
        cancelDeadline();
        if (end == ExchangeState.ABORTED && filters != null)
        {
            filters.aborted();
        }
        routed.finished(finalStatus);
        recorder.finished(routed, finalStatus, bodyBytes);
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

    // ---- what the filters see, and their verdicts ----

    HttpRequest request()
    {
        return request;
    }

    String routeName()
    {
        return routed.routeName();
    }

    L7Metrics metrics()
    {
        return recorder.metrics();
    }

    InetSocketAddress clientAddress()
    {
        return clientAddress;
    }

    EventExecutor executor()
    {
        return client.channel().eventLoop();
    }

    /** Where the request went, and the event loop's backend connections: a filter's background request goes the same way. */
    RoutedRequest routed()
    {
        return routed;
    }

    BackendConnections backends()
    {
        return backends;
    }

    /** The client's channel: its connection, or its HTTP/2 stream. */
    Channel clientChannel()
    {
        return client.channel();
    }

    /** A request filter's own answer: the exchange ends with it, unless it ended already (then it is released). */
    void answeredByFilter(final FullHttpResponse response)
    {
        if (state != ExchangeState.FILTERING)
        {
            response.release(); // the exchange ended while the filter worked (the client went, a timeout)
            return;
        }
        releaseUnsentRequest();
        releaseEarly();
        answerWith(response, !clientKeepAlive, response.status().code());
    }

    /**
     * The route's authentication proved {@code identity}: the request may go to a route that matches on its claims
     * ({@link RoutedRequest#routeAgain}), whose filters take it then, and which refuses it when it has no server up.
     */
    void routeAgain(final Identity identity)
    {
        final RoutedRequest next = routed.routeAgain(identity);
        if (next == null)
        {
            return;
        }
        routed = next;
        filters.rerouted(next.filters());
        if (next.backend() == null)
        {
            refuse(HttpResponseStatus.valueOf(next.refusalStatus()));
        }
    }

    /** A pending request filter is done: the next one takes the request, or the backend. */
    void filtersResumed()
    {
        if (state == ExchangeState.FILTERING)
        {
            runRequestFilters();
        }
    }
}
