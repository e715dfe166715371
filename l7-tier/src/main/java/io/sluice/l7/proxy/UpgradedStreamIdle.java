package io.sluice.l7.proxy;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * The idle timeout of an HTTP/2 stream that carries a WebSocket: closed after the long
 * ("upgraded") idle timeout with no DATA either way, as an upgraded HTTP/1.1 connection is by
 * its {@link ConnectionClock}. A stream has no clock of its own, and its connection's sees every
 * stream's bytes, so a silent WebSocket beside busy streams would otherwise never end. One timer
 * at a time, moved on only when it fires: traffic costs a clock read, not a timer.
 */
final class UpgradedStreamIdle implements Runnable
{
    private final Channel stream;
    private final long timeoutNanos;
    private long lastActivityNanos;
    private ScheduledFuture<?> timer;

    UpgradedStreamIdle(final Channel stream, final long timeoutNanos)
    {
        this.stream = stream;
        this.timeoutNanos = timeoutNanos;
    }

    void start()
    {
        lastActivityNanos = System.nanoTime();
        schedule(timeoutNanos);
    }

    /** DATA went either way. */
    void active()
    {
        lastActivityNanos = System.nanoTime();
    }

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
