package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A request waiting in a pool's queue for a slot, from {@link PoolBalancer#enqueue} until it is
 * admitted, times out or leaves. Its links and its state change only under the queue's lock;
 * its listener hears on the request's own event loop ({@link #executor}), and its timeout runs
 * there too, so a request never crosses threads: the event loop that frees a slot only hands
 * the slot over and wakes the waiter's loop.
 */
public final class QueuedRequest implements Runnable
{
    /** What became of it: {@link #outcome()}. */
    public enum Outcome
    {
        /** In the queue. */
        WAITING,
        /** Given a slot: {@link #admitted()} says where. */
        ADMITTED,
        /** Not queued: the queue was full. */
        REFUSED,
        /** Out of the queue without a slot (timed out, or left), or its slot given back. */
        LEFT
    }

    final HttpRequest request;
    final InetSocketAddress client;
    /** As chosen when the request was routed: its server, and whether a sticky cookie is due. */
    final Pick chosen;
    /** The in-flight counter of the one server it may go to (a sticky cookie's or a hash's), or null: any of the pool's. */
    final InFlight pinnedTo;
    private final QueueListener listener;
    private final EventExecutor executor;
    private final PoolQueue queue;
    /** The wait list's links, under the queue's lock. */
    QueuedRequest previous;
    QueuedRequest next;
    /** Under the queue's lock. */
    private Outcome outcome = Outcome.WAITING;
    /** Where its slot is, once admitted; under the queue's lock. */
    private Pick admitted;
    /** Its listener heard it was admitted: the slot is the listener's to end now. Under the queue's lock. */
    private boolean told;
    /** Set and cancelled on {@link #executor}. */
    private ScheduledFuture<?> timeout;

    QueuedRequest(final HttpRequest request, final InetSocketAddress client, final Pick chosen, final InFlight pinnedTo,
        final QueueListener listener, final EventExecutor executor, final PoolQueue queue)
    {
        this.request = request;
        this.client = client;
        this.chosen = chosen;
        this.pinnedTo = pinnedTo;
        this.listener = listener;
        this.executor = executor;
        this.queue = queue;
    }

    public Outcome outcome()
    {
        synchronized (queue)
        {
            return outcome;
        }
    }

    /** Where its slot was taken, once {@link Outcome#ADMITTED}; else null. */
    public Pick admitted()
    {
        synchronized (queue)
        {
            return admitted;
        }
    }

    /** Under the queue's lock: the queue refused it, or it left. */
    void outcome(final Outcome now)
    {
        outcome = now;
    }

    /** Under the queue's lock: a slot was taken for it; its listener hears on its own loop (unless it is the one asking). */
    void admit(final Pick pick, final boolean tellListener)
    {
        outcome = Outcome.ADMITTED;
        admitted = pick;
        if (tellListener)
        {
            executor.execute(this::tellAdmitted);
        }
    }

    boolean waiting()
    {
        return outcome == Outcome.WAITING;
    }

    /** Admitted, and its listener not told yet: the slot is still the queue's to give back. */
    boolean admittedUntold()
    {
        return outcome == Outcome.ADMITTED && !told;
    }

    /** Under the queue's lock: the pick to tell its listener, once, or null when it left before. */
    Pick tell()
    {
        if (outcome != Outcome.ADMITTED || told)
        {
            return null;
        }
        told = true;
        return admitted;
    }

    /** On its loop, after it was queued: its wait ends at the timeout unless a slot comes first. */
    void startTimer(final long timeoutNanos)
    {
        timeout = executor.schedule(this, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** On its loop: it left (or was told); the timer goes. */
    void stopTimer()
    {
        if (timeout != null)
        {
            timeout.cancel(false);
        }
    }

    /** The timeout, on its loop. */
    @Override
    public void run()
    {
        if (queue.timedOut(this))
        {
            listener.queueTimedOut();
        }
    }

    private void tellAdmitted()
    {
        final Pick pick;
        synchronized (queue)
        {
            pick = tell();
        }
        if (pick != null)
        {
            stopTimer();
            listener.admitted(pick);
        }
    }
}
