package io.sluice.l7.cache;

import io.sluice.l7.filter.FilterContext;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request waiting (its filter PENDING) for the response another request for its key is
 * fetching. Settled once: answered from that response, sent on to the backend when it cannot
 * be used, or sent on when its wait times out, whichever comes first.
 */
final class Waiter
{
    private final FilterContext context;
    private final boolean head;
    private final AtomicBoolean settled = new AtomicBoolean();
    private Future<?> timeout;

    Waiter(final FilterContext context, final boolean head)
    {
        this.context = context;
        this.head = head;
    }

    FilterContext context()
    {
        return context;
    }

    boolean head()
    {
        return head;
    }

    /** Set before the waiter can be settled by anyone but its timeout. */
    void timeout(final Future<?> timeout)
    {
        this.timeout = timeout;
    }

    /** True for the one caller that settles it; the timeout is cancelled then. */
    boolean settle()
    {
        if (!settled.compareAndSet(false, true))
        {
            return false;
        }
        if (timeout != null)
        {
            timeout.cancel(false);
        }
        return true;
    }
}
