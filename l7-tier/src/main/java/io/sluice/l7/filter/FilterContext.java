package io.sluice.l7.filter;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.l7.metrics.L7Metrics;

import java.net.InetSocketAddress;
import javax.net.ssl.SSLSession;

/**
 * What a filter sees of the exchange it is working on, and how a request filter that returned
 * {@link RequestFilter.Outcome#PENDING} ends its turn: one per exchange, made only for a route that
 * has filters. Every method is for the exchange's event loop
 * ({@link #executor()}); {@link #answer} and {@link #resume} may be called from any thread
 * (a Redis reply, say) and then hop to it.
 */
public interface FilterContext
{
    /** The request head (as the request filters left it; sent to the backend once they are done). */
    HttpRequest request();

    /** The route's name. */
    String routeName();

    /** The client's address (the TCP peer). */
    InetSocketAddress client();

    /**
     * The client connection's TLS session (with the certificate the client showed, when it
     * showed one and it was verified), or null when the connection is cleartext.
     */
    SSLSession tlsSession();

    /** The proxy's metrics, where a filter counts its own work (per route: {@link #routeName()}). */
    L7Metrics metrics();

    /** The event loop the exchange runs on. */
    EventExecutor executor();

    /**
     * The filter's own answer instead of a backend's: it goes to the client as it is (response
     * filters do not see it) and the exchange ends with it; no backend connection is opened. The
     * response is the exchange's from now on; it is released unsent when the exchange has already
     * ended (the client went away, the request timed out).
     */
    void answer(FullHttpResponse response);

    /** A pending request filter is done with the request: the next filter takes it, or the backend when none is left. */
    void resume();

    /** Who the request is from, once an authentication filter of the route set it; null before (or without one). */
    Identity identity();

    /** An authentication filter records who the request is from: later filters and the access log see it. */
    void identity(Identity identity);

    /**
     * Keeps {@code value} for the rest of this exchange under {@code owner} (the filter itself):
     * what a filter's request side decided and its response side uses, as a rate limit's
     * decisions that its response tells the client of. A filter instance serves every exchange
     * of its route, so such a thing cannot live in its fields.
     */
    void attach(Object owner, Object value);

    /** What {@link #attach} kept under {@code owner} for this exchange, or null. */
    Object attachment(Object owner);

    /**
     * Sends a request of the filter's own, detached from the client (which may have its answer
     * already), to the server this exchange was routed to, with the route's request timeout: a
     * cache refreshing a stale response in the background. Its response goes through the route's
     * response filters that come before {@code from} (as a client's response would), then to
     * {@code receiver}; nothing of it reaches the client. Call on the exchange's event loop.
     *
     * @param request the request head, without a body; the proxy owns it from now on.
     * @param from    the filter that asks, one of the route's response filters.
     */
    void background(HttpRequest request, ResponseFilter from, BackgroundReceiver receiver);
}
