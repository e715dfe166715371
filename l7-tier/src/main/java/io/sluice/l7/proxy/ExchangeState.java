package io.sluice.l7.proxy;

/**
 * Where one {@link ProxyExchange} is, on its way from the request head to the response's end.
 * The request's own end is a fact apart (its body may still be streaming in any state up to
 * {@link #DONE}); these are the states of what the exchange waits for and what it does with the
 * next event. {@link #mayGoTo} is the one table of the transitions; the exchange refuses any
 * other.
 *
 * <pre>
 * FILTERING          -> CONNECTING (the filters let it go), QUEUED (no room on a server),
 *                       DONE (no route, a refusal, a filter's answer, a full queue)
 * QUEUED             -> CONNECTING (a slot came), DONE (the queue's timeout: 503; 504)
 * CONNECTING         -> AWAITING_RESPONSE, CONNECTING or QUEUED (a retry after a failed connect), DONE (502, 504)
 * AWAITING_RESPONSE  -> STREAMING, EVENT_STREAM, UPGRADED, INFORMATIONAL, DISCARDING (a 502/503 to retry),
 *                       CONNECTING or QUEUED (a retry: closed without a response), DONE (502, 504, a refused body)
 * INFORMATIONAL      -> AWAITING_RESPONSE (its end), CONNECTING, QUEUED, DONE
 * DISCARDING         -> CONNECTING or QUEUED (the retry), DONE (no other server to try)
 * STREAMING, EVENT_STREAM, UPGRADED -> DONE
 * any state not ended -> ABORTED (the client went, a timeout or a broken backend after the response began)
 * </pre>
 */
enum ExchangeState
{
    /** The head is routed; the route's request filters look at it, and one may answer it, now or later. */
    FILTERING,
    /** Waiting in its pool's queue for room on a server (the pool's or the servers' {@code max_requests}); the body waits too. */
    QUEUED,
    /** Waiting for a backend connection (a new one, or a retry's); body chunks are held until it is there. */
    CONNECTING,
    /** The request is on its way to the backend (its body may still be streaming); no response head yet. */
    AWAITING_RESPONSE,
    /** A 1xx response (100 Continue) went to the client; its end is not the exchange's. */
    INFORMATIONAL,
    /** A 502 or 503 the client never sees: its body is dropped, then the request goes to another server. */
    DISCARDING,
    /** The response head went to the client; its body streams. */
    STREAMING,
    /** A server-sent-events response: it streams with no end to wait for, only the long idle timeout. */
    EVENT_STREAM,
    /** A WebSocket upgrade was accepted (101): both legs relay raw bytes until either closes. */
    UPGRADED,
    /** The response ended: the backend's, or the proxy's own or a filter's answer; recorded. */
    DONE,
    /** Ended without a whole response (the client went, a timeout, a broken backend, a reset stream); recorded. */
    ABORTED;

    /** Whether an exchange in this state may go to {@code next}. */
    boolean mayGoTo(final ExchangeState next)
    {
        return switch (this)
        {
            case FILTERING -> next == CONNECTING || next == QUEUED || next == DONE || next == ABORTED;
            case QUEUED -> next == CONNECTING || next == DONE || next == ABORTED;
            case CONNECTING -> next == CONNECTING || next == QUEUED || next == AWAITING_RESPONSE || next == DONE ||
                next == ABORTED;
            case AWAITING_RESPONSE -> next == INFORMATIONAL || next == DISCARDING || next == STREAMING || next == EVENT_STREAM ||
                next == UPGRADED || next == CONNECTING || next == QUEUED || next == DONE || next == ABORTED;
            case INFORMATIONAL -> next == AWAITING_RESPONSE || next == CONNECTING || next == QUEUED || next == DONE ||
                next == ABORTED;
            case DISCARDING -> next == CONNECTING || next == QUEUED || next == DONE || next == ABORTED;
            case STREAMING, EVENT_STREAM, UPGRADED -> next == DONE || next == ABORTED;
            case DONE, ABORTED -> false;
        };
    }

    /** Ended: recorded, and nothing more of it reaches the client. */
    boolean ended()
    {
        return this == DONE || this == ABORTED;
    }

    /** Part of the backend's response went to the client: a failure now can only close the connection. */
    boolean responseStarted()
    {
        return this == STREAMING || this == EVENT_STREAM || this == UPGRADED;
    }

    /** Only the long idle timeout ends it: an upgraded (WebSocket) or streaming (server-sent events) exchange. */
    boolean longLived()
    {
        return this == UPGRADED || this == EVENT_STREAM;
    }
}
