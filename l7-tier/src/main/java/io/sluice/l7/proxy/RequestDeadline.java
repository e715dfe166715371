package io.sluice.l7.proxy;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The whole-request timeout of an exchange on an HTTP/2 stream, from the request head to the
 * response's end: a timer of its own, since a stream has no {@link ConnectionClock} (an HTTP/1.1
 * connection's clock times its exchanges without a timer per request). It is the task itself,
 * so starting one costs the timer's entry and this, nothing more.
 */
final class RequestDeadline implements Runnable
{
    private final ProxyExchange exchange;
    private ScheduledFuture<?> timer;

    RequestDeadline(final ProxyExchange exchange)
    {
        this.exchange = exchange;
    }

    void start(final EventLoop loop, final long timeoutMs)
    {
        timer = loop.schedule(this, timeoutMs, TimeUnit.MILLISECONDS);
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
