package io.sluice.l7.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.l7.config.Pool;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.filter.Identity;
import io.sluice.l7.upstream.BackendTls;

import java.net.InetSocketAddress;

/**
 * Where one request goes and what changes on its way, as the router decided it. The proxy calls
 * these on the client connection's event loop, in this order: {@link #backend()} (or
 * {@link #refusalStatus()} when it is null), {@link #uri()}, {@link #editRequestHeaders},
 * {@link #filters()} ({@link #routeAgain} while they run, once an identity is set), {@link #admit}
 * once the filters let it go to the backend (and again for a retry's), {@link #editResponseHeaders}
 * when the response head arrives (after the response filters), and {@link #finished} exactly once,
 * however the exchange ends.
 */
public interface RoutedRequest
{
    /** Whether a request may go to its server now ({@link #admit}). */
    enum Admission
    {
        /** A slot was taken: it goes now. */
        ADMITTED,
        /** It waits in its pool's queue; the {@link Waiting} it gave hears how that ends. */
        QUEUED,
        /** No room, and the pool's queue is full: answered 503. */
        QUEUE_FULL
    }

    /** Who hears how a queued request's wait ends, on the event loop it was admitted from. */
    interface Waiting
    {
        /** A slot was taken for it: {@link #backend()} and {@link #serverName()} say where. */
        void admitted();

        /** It waited its pool's queue timeout: answered 503. */
        void waitedTooLong();
    }

    /** The route's name, for metrics and the access log; null when no route took the request. */
    default String routeName()
    {
        return null;
    }

    /** The pool's name; null when there is none. */
    default String poolName()
    {
        return null;
    }

    /** The server's name within its pool; null when there is none. */
    default String serverName()
    {
        return null;
    }

    /** The backend server to send it to, or null when the request is refused. */
    InetSocketAddress backend();

    /** The status a refused request is answered with: 404 (no route), 503 (no server up). */
    int refusalStatus();

    /** What the proxy speaks to the backend: HTTP/1.1 by default. */
    default Pool.Protocol protocol()
    {
        return Pool.Protocol.HTTP1;
    }

    /** For an h2 pool: TLS to its servers; else null. */
    default BackendTls backendTls()
    {
        return null;
    }

    /** The request-target to send (the path rewritten, the query string kept). */
    String uri();

    /** Edits the request head's headers (after the proxy's own X-Forwarded-*, before the filters); nothing by default. */
    default void editRequestHeaders(final HttpHeaders headers)
    {
    }

    /** The PROXY protocol header the backend connection begins with (the pool's {@code send_proxy}); none by default. */
    default Pool.SendProxy sendProxy()
    {
        return null;
    }

    /** The route's request and response filters; none by default. */
    default FilterChain filters()
    {
        return FilterChain.NONE;
    }

    /**
     * An authentication filter of the route proved who the request is from: a route that matches on its claims may
     * take the request instead ({@link io.sluice.l7.route.Router#routeAgain}). Called before {@link #admit}; the
     * request then goes on as the returned one says (its own filters, its own pool), this one finished unasked.
     *
     * @return the request routed anew, or null when it stays on this route (always, by default).
     */
    default RoutedRequest routeAgain(final Identity identity)
    {
        return null;
    }

    /** Adds a sticky cookie if one is due (after the response filters); nothing by default. */
    default void editResponseHeaders(final HttpHeaders headers)
    {
    }

    /** {@link #maxBodyBytes()} of a request that has no limit of its own: the proxy's {@code limits.max_body} holds. */
    long PROXY_LIMIT = -1;

    /**
     * The largest request body this request may have; over it the proxy answers 413.
     * {@link #PROXY_LIMIT} (the default) leaves it to the proxy's own limit.
     */
    default long maxBodyBytes()
    {
        return PROXY_LIMIT;
    }

    /**
     * Takes a place for the request on its server within the limits of requests in flight (its
     * pool's and server's {@code max_requests}), possibly on another server of the pool, or
     * queues it; {@link #finished} gives the place back, or leaves the queue. Admitted at once
     * by default.
     *
     * @param waiting  hears, on {@code executor}, how a wait in the queue ends.
     * @param executor the request's event loop.
     */
    default Admission admit(final Waiting waiting, final EventExecutor executor)
    {
        return Admission.ADMITTED;
    }

    /**
     * Another server for this request after the first failed (connect failure, 502 or 503), or
     * null when there is none to try. This one is {@link #finished} with the failure first; the
     * proxy then uses the returned request as it used this one, from {@link #admit} on.
     *
     * @param failure the status the failure amounts to (502 or 503).
     */
    default RoutedRequest retry(final int failure)
    {
        return null;
    }

    /**
     * The exchange is over: the response's last byte was written, or it failed.
     *
     * @param status the status sent to the client, or 0 when the connection broke before one was.
     */
    default void finished(final int status)
    {
    }
}
