package io.sluice.l7.health;

import io.sluice.l7.balance.Upstream;

import java.time.InstantSource;
import java.util.List;

/**
 * The ejections of one pool, which must be decided together: never more than half of the pool's
 * servers out at once (with one server, none: ejecting the only server trades bad answers for
 * none at all), and never the last server still taking requests. Ejecting and returning lock
 * it; the proxy's common path reads only two volatiles.
 */
final class PoolEjections
{
    private final EjectionState[] members;
    private final long baseMs;
    private final long maxMs;
    private volatile int ejectedCount;
    /** The earliest time an ejected server is due back; {@link Long#MAX_VALUE} when none is out. */
    private volatile long nextReturnMs = Long.MAX_VALUE;

    PoolEjections(final List<Upstream> upstreams, final long baseMs, final long maxMs)
    {
        this.baseMs = baseMs;
        this.maxMs = maxMs;
        members = new EjectionState[upstreams.size()];
        for (int i = 0; i < members.length; i++)
        {
            members[i] = new EjectionState(upstreams.get(i), this);
        }
    }

    List<EjectionState> members()
    {
        return List.of(members);
    }

    /** Takes a server out if the pool can spare it; else it stays, and its next failure asks again. */
    synchronized void eject(final EjectionState state, final long nowMs)
    {
        if (state.ejected || !canSpare(state))
        {
            return;
        }
        if (state.returnedAtMs != Long.MIN_VALUE && nowMs - state.returnedAtMs >= maxMs)
        {
            state.ejections = 0; // it behaved for a long time: a new run, starting at the base time
        }
        final long durationMs = Math.min(maxMs, baseMs << Math.min(state.ejections, 20));
        state.ejections++;
        state.ejectedUntilMs = nowMs + durationMs;
        state.failuresInRow.set(0);
        takeOut(state);
    }

    /**
     * A reload: {@code state}'s server is {@code before}'s of the pool replaced, so it goes on
     * from there. Out, it stays out until its time is up, if this pool can spare it by the same
     * rules as an ejection (the new pool may be smaller); else it is back now, its run kept.
     * Called while the new configuration is made, before any request can report to it.
     */
    synchronized void carryOver(final EjectionState state, final EjectionState before, final long nowMs)
    {
        synchronized (before.pool) // the old configuration's exchanges may still be reporting to it
        {
            state.ejections = before.ejections;
            state.ejectedUntilMs = before.ejectedUntilMs;
            state.returnedAtMs = before.returnedAtMs;
            state.failuresInRow.set(before.failuresInRow.get());
            if (!before.ejected)
            {
                return;
            }
        }
        if (state.ejectedUntilMs > nowMs && canSpare(state))
        {
            takeOut(state);
        }
        else
        {
            state.returnedAtMs = nowMs;
        }
    }

    private void takeOut(final EjectionState state)
    {
        state.ejected = true;
        ejectedCount++;
        nextReturnMs = Math.min(nextReturnMs, state.ejectedUntilMs);
        state.upstream.ejected(true);
    }

    /** Never more than half the pool out, and never the last server still taking requests. */
    private boolean canSpare(final EjectionState state)
    {
        return (ejectedCount + 1) * 2 <= members.length && anotherTakesRequests(state);
    }

    /** Puts back the servers whose time is up; cheap when none is out or none is due. */
    void returnDue(final InstantSource clock)
    {
        if (ejectedCount == 0)
        {
            return;
        }
        final long nowMs = clock.millis();
        if (nowMs < nextReturnMs)
        {
            return;
        }
        synchronized (this)
        {
            long next = Long.MAX_VALUE;
            for (final EjectionState state : members)
            {
                if (!state.ejected)
                {
                    continue;
                }
                if (state.ejectedUntilMs <= nowMs)
                {
                    state.ejected = false;
                    state.returnedAtMs = nowMs;
                    state.failuresInRow.set(0);
                    ejectedCount--;
                    state.upstream.ejected(false);
                }
                else
                {
                    next = Math.min(next, state.ejectedUntilMs);
                }
            }
            nextReturnMs = next;
        }
    }

    synchronized EjectionStatus status(final EjectionState state)
    {
        return new EjectionStatus(state.ejected, state.ejectedUntilMs, state.ejections, state.failuresInRow.get());
    }

    private boolean anotherTakesRequests(final EjectionState state)
    {
        for (final EjectionState other : members)
        {
            if (other != state && other.upstream.healthy())
            {
                return true;
            }
        }
        return false;
    }
}
