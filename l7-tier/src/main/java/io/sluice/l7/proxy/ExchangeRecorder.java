package io.sluice.l7.proxy;

import io.netty.handler.codec.http.HttpRequest;
import io.sluice.l7.accesslog.AccessLogEntry;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.http.RequestRefusal;
import io.sluice.l7.metrics.L7Metrics;

import java.net.InetSocketAddress;

/**
 * What is reported of one exchange: the metrics (bytes, latency, status per route and server,
 * refusals by reason) and, when it is on, its access log line, written once when the exchange
 * ends. Holds what the report needs from the request's start, as the client sent it (before
 * any rewrite).
 */
final class ExchangeRecorder
{
    private final ExchangeObservers observers;
    /** The route's filters at work on the exchange (the identity its authentication found is theirs), or null. */
    private final ExchangeFilters filters;
    private final InetSocketAddress client;
    private final String method;
    private final String path;
    private String requestId;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private long responseBytes;
    /** When it began waiting in its pool's queue ({@link System#nanoTime}). */
    private long queuedNanos;
    /** Why the proxy refused the request, or null. */
    private RequestRefusal refused;
    private boolean recorded;

    ExchangeRecorder(final ExchangeObservers observers, final InetSocketAddress client, final HttpRequest request,
        final ExchangeFilters filters)
    {
        this.observers = observers;
        this.filters = filters;
        this.client = client;
        this.method = request.method().name();
        this.path = request.uri();
        this.requestId = request.headers().get(ForwardedHeaders.X_REQUEST_ID);
    }

    /** Where the exchange is counted; the route's filters count their own work there too. */
    L7Metrics metrics()
    {
        return observers.metrics();
    }

    /** The id the request goes on with (the client's, or one the proxy made up). */
    void requestId(final String requestId)
    {
        this.requestId = requestId;
    }

    void responseBytes(final long bytes)
    {
        responseBytes += bytes;
    }

    /** It waits in its pool's queue from now on. */
    void queued()
    {
        queuedNanos = System.nanoTime();
    }

    /** Its wait in the pool's queue ended with a slot: the wait is counted. */
    void leftQueue(final String pool)
    {
        observers.metrics().concurrency().queueWait(pool, System.nanoTime() - queuedNanos);
    }

    /** Its wait in the pool's queue ended at the queue's timeout (it is refused too). */
    void queueTimedOut(final String pool)
    {
        observers.metrics().concurrency().queueTimeout(pool);
    }

    /** It found no room and the pool's queue full (it is refused too). */
    void queueOverflow(final String pool)
    {
        observers.metrics().concurrency().queueOverflow(pool);
    }

    /** The proxy refused the request: counted by reason now, named in the log line. */
    void refused(final RequestRefusal reason)
    {
        refused = reason;
        observers.metrics().requestRefused(reason);
    }

    /** Named in the log line without being counted (an HTTP/2 reset is counted where it is sent). */
    void refusedUncounted(final RequestRefusal reason)
    {
        refused = reason;
    }

    boolean refused()
    {
        return refused != null;
    }

    /** The name of who the request is from, as the route's authentication proved it; null without one. */
    private String identityName()
    {
        final Identity identity = filters == null ? null : filters.identity();
        return identity == null ? null : identity.name();
    }

    /**
     * Reports the exchange once, however many ends it is given.
     *
     * @param status    the status the client was sent, or 0 when the connection broke before one was.
     * @param bodyBytes the request body bytes the client sent.
     */
    void finished(final RoutedRequest routed, final int status, final long bodyBytes)
    {
        if (recorded)
        {
            return;
        }
        recorded = true;
        final long durationNanos = System.nanoTime() - startNanos;
        observers.metrics().exchangeFinished(routed.routeName(), routed.poolName(), routed.serverName(), status,
            bodyBytes, responseBytes, durationNanos);
        if (observers.accessLog() != null)
        {
            observers.accessLog().log(new AccessLogEntry(startMillis, client, method, path, routed.routeName(),
                routed.poolName(), routed.serverName(), status, bodyBytes, responseBytes, durationNanos, requestId,
                refused == null ? null : refused.label(), identityName()));
        }
    }
}
