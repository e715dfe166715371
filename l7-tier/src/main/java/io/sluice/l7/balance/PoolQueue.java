package io.sluice.l7.balance;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;

/**
 * A pool's requests in flight and its queue, as HAProxy's {@code maxconn} and queue: a request
 * that finds no room waits here in arrival order, and each slot that frees goes to the oldest
 * waiting request that can take it: one pinned to a server (a sticky cookie's or a hash's, which
 * HAProxy queues on that server) when that server has room, any other when any server of the
 * pool has. A pinned request whose server is down or gone waits for any server.
 *
 * <p>Shared by every event loop, and by the configurations a reload passes the pool on to (the
 * same name), so the counts hold across a reload and the waiting requests keep their place;
 * {@link #serve} names the configuration whose servers and limits take them from then on.
 *
 * <p>Counting is lock-free (atomics); the queue is under this object's lock. A request takes a
 * slot without the lock only while nobody waits ({@link #waiting()} is 0), so none overtakes a
 * waiting one. A slot's end reads {@code waiting} after its decrement and a queued request's
 * dispatch reads the counts after its increment of {@code waiting}: one of the two always sees
 * the other, so no request waits while a slot is free.
 */
final class PoolQueue
{
    private final InFlight inFlight = new InFlight();
    private final WaitList waiters = new WaitList();
    /** Written under the lock. */
    private volatile int waiting;
    /** The configuration whose servers and limits the waiting requests are given. */
    private volatile PoolBalancer serving;

    PoolQueue(final PoolBalancer serving)
    {
        this.serving = serving;
    }

    /** Requests in flight to the pool's servers, whichever configuration sent them. */
    int inFlight()
    {
        return inFlight.get();
    }

    /** Requests waiting now. */
    int waiting()
    {
        return waiting;
    }

    /** Takes a pool slot if the pool has room under {@code max} (0: no limit). */
    boolean tryBegin(final int max)
    {
        return inFlight.tryTake(max);
    }

    /** A pool slot is free again (its server's was freed first): the oldest waiting request that can take one does. */
    void end()
    {
        inFlight.release();
        if (waiting > 0)
        {
            synchronized (this)
            {
                dispatch(null);
            }
        }
    }

    /** Gives back a pool slot taken under the lock that could not be used: {@link #dispatch} goes on by itself. */
    private void undo()
    {
        inFlight.release();
    }

    /**
     * Queues a request that found no room: it is given a slot at once if one frees meanwhile and
     * no older request takes it, else it waits (up to {@code timeoutNanos}) unless {@code size}
     * are waiting already. Called on {@code executor}, the request's event loop.
     */
    QueuedRequest enqueue(final HttpRequest request, final InetSocketAddress client, final Pick chosen,
        final InFlight pinnedTo, final QueueListener listener, final EventExecutor executor, final int size,
        final long timeoutNanos)
    {
        final QueuedRequest queued = new QueuedRequest(request, client, chosen, pinnedTo, listener, executor, this);
        synchronized (this)
        {
            waiters.addLast(queued);
            waiting++;
            if (dispatch(queued))
            {
                return queued;
            }
            if (waiting > size)
            {
                remove(queued);
                queued.outcome(QueuedRequest.Outcome.REFUSED);
                return queued;
            }
        }
        queued.startTimer(timeoutNanos);
        return queued;
    }

    /** The request goes (its client went, its exchange ended): out of the queue, or its slot, not yet told, given back. */
    void leave(final QueuedRequest queued)
    {
        synchronized (this)
        {
            if (queued.waiting())
            {
                remove(queued);
                queued.outcome(QueuedRequest.Outcome.LEFT);
            }
            else if (queued.admittedUntold())
            {
                final Pick pick = queued.admitted();
                queued.outcome(QueuedRequest.Outcome.LEFT);
                pick.upstream().end();
                end();
            }
        }
        queued.stopTimer();
    }

    /** Its timeout ran: whether it was still waiting (it leaves, and its listener is told); false when a slot came first. */
    boolean timedOut(final QueuedRequest queued)
    {
        synchronized (this)
        {
            if (!queued.waiting())
            {
                return false;
            }
            remove(queued);
            queued.outcome(QueuedRequest.Outcome.LEFT);
            return true;
        }
    }

    /** From now on the waiting requests go to {@code balancer}'s servers under its limits, which may have room at once. */
    void serve(final PoolBalancer balancer)
    {
        serving = balancer;
        synchronized (this)
        {
            dispatch(null);
        }
    }

    private void remove(final QueuedRequest queued)
    {
        waiters.remove(queued);
        waiting--;
    }

    /**
     * Under the lock: gives free slots to the oldest waiting requests that can take them, each
     * told on its own event loop but {@code asking}, which learns it from the result.
     *
     * <p>The walk from the oldest passes only requests pinned to a full server: the first one
     * free to go anywhere either finds a server with room or shows that no server has any. So
     * its cost is the pinned requests ahead, at most the queue's size.
     *
     * @return whether {@code asking} was given a slot.
     */
    private boolean dispatch(final QueuedRequest asking)
    {
        final PoolBalancer balancer = serving;
        boolean askingAdmitted = false;
        while (waiting > 0 && inFlight.below(balancer.maxRequests()))
        {
            QueuedRequest next = null;
            Upstream target = null;
            for (QueuedRequest queued = waiters.head(); queued != null; queued = queued.next)
            {
                final Upstream pinned = queued.pinnedTo == null ? null : balancer.servingPinned(queued.pinnedTo);
                if (pinned != null)
                {
                    if (pinned.hasRoom())
                    {
                        next = queued;
                        target = pinned;
                        break;
                    }
                    continue;
                }
                target = balancer.withRoom(queued.request, queued.client);
                next = target == null ? null : queued;
                break;
            }
            if (next == null)
            {
                return askingAdmitted;
            }
            if (!tryBegin(balancer.maxRequests()))
            {
                return askingAdmitted; // the pool is full: the next end comes back here
            }
            if (!target.tryBegin())
            {
                undo(); // a request that came while nobody waited took it: look again
                continue;
            }
            remove(next);
            // A request that stays on its server keeps its kind of pick; one moved gets the new server's cookie, if due.
            final boolean moved = target.inFlightCounter() != next.chosen.upstream().inFlightCounter();
            next.admit(moved || next.chosen.setCookie() != null ? target.pickSettingCookie() : target.pick(), next != asking);
            askingAdmitted |= next == asking;
        }
        return askingAdmitted;
    }
}
