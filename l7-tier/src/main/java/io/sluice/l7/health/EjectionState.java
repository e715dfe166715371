package io.sluice.l7.health;

import io.sluice.l7.balance.Upstream;

import java.util.concurrent.atomic.AtomicInteger;

/** One server's passive-ejection bookkeeping; all but the failure count guarded by its pool's lock. */
final class EjectionState
{
    final Upstream upstream;
    final PoolEjections pool;
    /** Counted by every event loop without a lock: "in a row" across loops is approximate anyway. */
    final AtomicInteger failuresInRow = new AtomicInteger();
    boolean ejected;
    /** Ejections in the current run: the next lasts base × 2^ejections. */
    int ejections;
    long ejectedUntilMs;
    /** When it last came back; {@link Long#MIN_VALUE} when it never left. */
    long returnedAtMs = Long.MIN_VALUE;

    EjectionState(final Upstream upstream, final PoolEjections pool)
    {
        this.upstream = upstream;
        this.pool = pool;
    }
}
