package io.sluice.l7.proxy;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.Ticker;
import io.sluice.l7.grpc.GrpcErrorResponse;
import io.sluice.l7.grpc.GrpcTimeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The whole-request timeout of an exchange on an HTTP/2 stream, from the request head to the
 * response's end: a timer of its own, since a stream has no {@link ConnectionClock} (an HTTP/1.1
 * connection's clock times its exchanges without a timer per request). It is the task itself,
 * so starting one costs the timer's entry and this, nothing more.
 *
 * <p>It lasts the route's request timeout, or a call's grpc-timeout when that is shorter. Each
 * time the request leaves for a backend (a retry's too) the backend of a gRPC call is told in
 * grpc-timeout the time left, so that it gives up when the client and the proxy do rather than
 * later (as Envoy does with max_grpc_timeout set); a request whose deadline has passed does not go.
 */
final class RequestDeadline implements Runnable
{
    /** A timeout longer than this (the file allows hours of nine digits) counts as this: deadlines stay far from overflow. */
    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE / 4);

    private final ProxyExchange exchange;
    private ScheduledFuture<?> timer;
    /** The event loop's clock, which its timer goes by too. */
    private Ticker ticker;
    private long timeoutNanos;
    private long endsAtNanos;
    /** A gRPC call: its backend is told the time left. */
    private boolean grpc;

    RequestDeadline(final ProxyExchange exchange)
    {
        this.exchange = exchange;
    }

    /** Starts timing the request whose head has {@code headers}. */
    void start(final EventLoop loop, final HttpHeaders headers, final Duration routeTimeout)
    {
        ticker = loop.ticker();
        final Duration route = routeTimeout.compareTo(LONGEST) < 0 ? routeTimeout : LONGEST;
        timeoutNanos = GrpcTimeout.deadlineNanos(headers, route.toNanos());
        endsAtNanos = ticker.nanoTime() + timeoutNanos;
        grpc = GrpcErrorResponse.isGrpc(headers);
        timer = loop.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** The timeout in milliseconds (rounded up), for the answer that reports it. */
    long timeoutMs()
    {
        return (timeoutNanos + 999_999) / 1_000_000;
    }

    /** Whether the deadline has passed, though its timer may not have run yet (the loop had other work first). */
    boolean passed()
    {
        return endsAtNanos - ticker.nanoTime() <= 0;
    }

    /**
     * The request leaves for a backend now: a gRPC call's grpc-timeout becomes the time left.
     *
     * @return false when no time is left: the request must not go.
     */
    boolean stamp(final HttpHeaders headers)
    {
        final long leftNanos = endsAtNanos - ticker.nanoTime();
        if (leftNanos <= 0)
        {
            return false;
        }
        if (grpc)
        {
            headers.set(GrpcTimeout.HEADER, GrpcTimeout.encode(leftNanos));
        }
        return true;
    }

    /** The exchange ended, or needs the deadline no more (a long-lived one). */
    void cancel()
    {
        if (timer != null)
        {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void run()
    {
        timer = null;
        exchange.timedOut();
    }
}
