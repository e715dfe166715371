package io.sluice.l7.balance;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A count of requests in flight (a server's, or a pool's), taken under a limit. Every event loop
 * takes and gives back places at once, so it is an atomic; taking is a compare-and-set that never
 * passes the limit, so the count is exact at every moment, not only in the end.
 */
final class InFlight
{
    private final AtomicInteger count = new AtomicInteger();

    /**
     * Takes a place if the count is under {@code max} (0: no limit).
     *
     * @return whether it took one; then {@link #release()} it once.
     */
    boolean tryTake(final int max)
    {
        if (max == 0)
        {
            count.getAndIncrement();
            return true;
        }
        int current;
        do
        {
            current = count.get();
            if (current >= max)
            {
                return false;
            }
        }
        while (!count.compareAndSet(current, current + 1));
        return true;
    }

    /** Takes a place whatever the limit. */
    void take()
    {
        count.getAndIncrement();
    }

    void release()
    {
        count.getAndDecrement();
    }

    int get()
    {
        return count.get();
    }

    /** Under {@code max} (0: no limit). */
    boolean below(final int max)
    {
        return max == 0 || count.get() < max;
    }
}
