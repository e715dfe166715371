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
        if (state.ejected || (ejectedCount + 1) * 2 > members.length || !anotherTakesRequests(state))
        {
            return;
        }
        if (state.returnedAtMs != Long.MIN_VALUE && nowMs - state.returnedAtMs >= maxMs)
        {
            state.ejections = 0; // it behaved for a long time: a new run, starting at the base time
        }
        final long durationMs = Math.min(maxMs, baseMs << Math.min(state.ejections, 20));
        state.ejections++;
        state.ejected = true;
        state.ejectedUntilMs = nowMs + durationMs;
        state.failuresInRow.set(0);
        ejectedCount++;
        nextReturnMs = Math.min(nextReturnMs, state.ejectedUntilMs);
        state.upstream.ejected(true);
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
