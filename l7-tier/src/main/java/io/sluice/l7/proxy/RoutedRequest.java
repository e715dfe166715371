package io.sluice.l7.proxy;

import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.l7.config.Pool;
import io.sluice.l7.filter.FilterChain;
import io.sluice.l7.upstream.BackendTls;

import java.net.InetSocketAddress;

/**
 * Where one request goes and what changes on its way, as the router decided it. The proxy calls
 * these on the client connection's event loop, in this order: {@link #backend()} (or
 * {@link #refusalStatus()} when it is null), {@link #uri()}, {@link #editRequestHeaders},
 * {@link #filters()}, {@link #editResponseHeaders} when the response head arrives (after the
 * response filters), and {@link #finished} exactly once, however the exchange ends.
 */
public interface RoutedRequest
{
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
     * Another server for this request after the first failed (connect failure, 502 or 503), or
     * null when there is none to try. This one is {@link #finished} with the failure first; the
     * proxy then uses the returned request as it used this one.
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
