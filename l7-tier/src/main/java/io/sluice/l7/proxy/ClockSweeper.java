package io.sluice.l7.proxy;

import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's timer for all its client connections' timeouts: every {@link #TICK_MS} it
 * reads the clock once and asks each {@link ConnectionClock} whether a deadline passed. A
 * request then costs a few field writes instead of scheduling and cancelling timer tasks (a
 * priority-queue insert and removal and an object each); timeouts fire up to one tick late.
 * Touched by its event loop alone.
 */
final class ClockSweeper
{
    static final long TICK_MS = 100;

    private final ArrayList<ConnectionClock> clocks = new ArrayList<>();
    private long nowNanos = System.nanoTime();

    ClockSweeper(final EventLoop loop)
    {
        loop.scheduleAtFixedRate(this::sweep, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** The time of the last tick: deadlines are measured from it, so reading it costs nothing. */
    long now()
    {
        return nowNanos;
    }

    void add(final ConnectionClock clock)
    {
        clock.index = clocks.size();
        clocks.add(clock);
    }

    /** Swap-removes: the last clock takes the removed one's place. */
    void remove(final ConnectionClock clock)
    {
        final int index = clock.index;
        if (index < 0)
        {
            return;
        }
        final ConnectionClock last = clocks.removeLast();
        if (last != clock)
        {
            clocks.set(index, last);
            last.index = index;
        }
        clock.index = -1;
    }

    private void sweep()
    {
        nowNanos = System.nanoTime();
        // Backwards, so a clock that removes itself (its connection closing) never hides another.
        for (int i = clocks.size() - 1; i >= 0; i--)
        {
            if (i < clocks.size())
            {
                clocks.get(i).check(nowNanos);
            }
        }
    }
}
