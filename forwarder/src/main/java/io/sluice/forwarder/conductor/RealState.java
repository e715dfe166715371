package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.table.RealEntry;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * What the conductor keeps for one real while it exists: its id (kept across tables, so flows
 * remembered by id survive unrelated changes), its counters and its last resolved MAC. Touched
 * by the conductor thread only.
 */
final class RealState
{
    final int id;
    final IpAddress address;
    final int port;
    final int weight;
    final AtomicCounter[] packetsByWorker;
    final AtomicCounter[] bytesByWorker;
    /**
     * Health state for the CLI, only when the VIP has a health check (else null): [0] 1 up / 0
     * down, [1] epoch ms of the last change (0: never), [2] transitions.
     */
    final AtomicCounter[] health;
    long mac;
    /** MAC refreshes in a row that found no MAC: while few, the real still counts as being resolved. */
    int unresolvedRefreshes;
    boolean healthy = true;
    /** Checks in a row that disagree with {@link #healthy}: rise or fall of them flip it. */
    int streak;

    RealState(
        final int id,
        final IpAddress address,
        final int port,
        final int weight,
        final AtomicCounter[] packetsByWorker,
        final AtomicCounter[] bytesByWorker,
        final AtomicCounter[] health)
    {
        this.id = id;
        this.address = address;
        this.port = port;
        this.weight = weight;
        this.packetsByWorker = packetsByWorker;
        this.bytesByWorker = bytesByWorker;
        this.health = health;
    }

    /**
     * Counts one check's outcome.
     *
     * @return true when it flipped the real's health ({@code rise} good checks in a row bring a
     *         down real up, {@code fall} failed ones take an up real down).
     */
    boolean recordCheck(final boolean ok, final int rise, final int fall, final long nowMs)
    {
        if (ok == healthy)
        {
            streak = 0;
            return false;
        }
        if (++streak < (ok ? rise : fall))
        {
            return false;
        }
        healthy = ok;
        streak = 0;
        if (health != null)
        {
            health[0].setRelease(ok ? 1 : 0);
            health[1].setRelease(nowMs);
            health[2].incrementRelease();
        }
        return true;
    }

    /** Carries health (and MAC) over to the state of the same real after a weight change. */
    void copyRuntimeStateFrom(final RealState old)
    {
        mac = old.mac;
        unresolvedRefreshes = old.unresolvedRefreshes;
        healthy = old.healthy;
        streak = old.streak;
    }

    RealEntry toEntry()
    {
        return new RealEntry(id, address, port, weight, mac, packetsByWorker, bytesByWorker, healthy);
    }

    void freeCounters()
    {
        CounterArrays.close(packetsByWorker);
        CounterArrays.close(bytesByWorker);
        if (health != null)
        {
            CounterArrays.close(health);
        }
    }
}
