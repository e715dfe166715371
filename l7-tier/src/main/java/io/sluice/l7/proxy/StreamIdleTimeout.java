package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The idle timeout of an HTTP/2 stream that is a WebSocket or an event stream: closed after the
 * long ("upgraded") idle timeout with nothing either way, as such an HTTP/1.1 connection is by
 * its {@link ConnectionClock}. A stream has no clock of its own, and its connection's sees every
 * stream's bytes, so a silent one beside busy streams would otherwise never end. One timer at a
 * time, moved on only when it fires: traffic costs a clock read, not a timer.
 */
final class StreamIdleTimeout implements Runnable
{
    private final Channel stream;
    private final long timeoutNanos;
    private long lastActivityNanos;
    private ScheduledFuture<?> timer;

    StreamIdleTimeout(final Channel stream, final long timeoutNanos)
    {
        this.stream = stream;
        this.timeoutNanos = timeoutNanos;
        lastActivityNanos = System.nanoTime();
        schedule(timeoutNanos);
    }

    /** Something went either way. */
    void active()
    {
        lastActivityNanos = System.nanoTime();
    }

    /** The stream closed: the timer goes (one that already ran is done, and its cancel does nothing). */
    void cancel()
    {
        timer.cancel(false);
    }

    @Override
    public void run()
    {
        final long idleNanos = System.nanoTime() - lastActivityNanos;
        if (idleNanos >= timeoutNanos)
        {
            stream.close();
            return;
        }
        schedule(timeoutNanos - idleNanos);
    }

    private void schedule(final long delayNanos)
    {
        timer = stream.eventLoop().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }
}
