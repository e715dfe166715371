package io.sluice.forwarder.conductor;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipSpec;
import io.sluice.forwarder.table.LeastConnection;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.RoundRobin;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * What the conductor keeps for one VIP: its counters, its reals' state in configuration order
 * and the Maglev table built over them. A new VipState is made whenever the VIP's reals change;
 * a MAC change does not rebuild Maglev, because the table spreads flows over reals whether or
 * not their next hop is resolved (an unresolved real drops its packets as no-next-hop instead
 * of reshuffling everyone else's flows).
 */
final class VipState
{
    final int id;
    final VipSpec spec;
    final AtomicCounter[] packetsByWorker;
    final AtomicCounter[] bytesByWorker;
    /** Each worker's report of its self-test packet to this VIP, written by that worker. */
    final AtomicCounter[] selfTestByWorker;
    final RealState[] reals;
    /** Maglev over every real, whatever its health: a function of the reals alone. */
    final int[] fullMaglev;
    /** What the data path uses: {@link #fullMaglev} with the slots of reals that are down given to live ones. */
    final int[] maglev;
    /** Each slot of {@link #maglev}'s second real, for a VIP with second chance; else null. */
    final int[] secondaries;
    /** The rotation of a round-robin VIP, kept while its reals stay the same; else null. */
    final RoundRobin roundRobin;
    /** The live flow counts of a least-connection VIP, shared while its reals stay the same; else null. */
    final LeastConnection leastConnection;

    VipState(
        final int id,
        final VipSpec spec,
        final AtomicCounter[] packetsByWorker,
        final AtomicCounter[] bytesByWorker,
        final AtomicCounter[] selfTestByWorker,
        final RealState[] reals,
        final int[] fullMaglev,
        final int[] maglev,
        final int[] secondaries,
        final RoundRobin roundRobin,
        final LeastConnection leastConnection)
    {
        this.id = id;
        this.spec = spec;
        this.packetsByWorker = packetsByWorker;
        this.bytesByWorker = bytesByWorker;
        this.selfTestByWorker = selfTestByWorker;
        this.reals = reals;
        this.fullMaglev = fullMaglev;
        this.maglev = maglev;
        this.secondaries = secondaries;
        this.roundRobin = roundRobin;
        this.leastConnection = leastConnection;
    }

    /** @return the real with this address and port, or null. */
    RealState find(final IpAddress address, final int port)
    {
        for (final RealState real : reals)
        {
            if (real.address.equals(address) && real.port == port)
            {
                return real;
            }
        }
        return null;
    }

    VipEntry toEntry()
    {
        final RealEntry[] entries = new RealEntry[reals.length];
        for (int i = 0; i < reals.length; i++)
        {
            entries[i] = reals[i].toEntry();
        }
        return new VipEntry(id, spec, entries, maglev, secondaries, roundRobin, leastConnection, packetsByWorker, bytesByWorker,
            selfTestByWorker);
    }

    void freeCounters()
    {
        CounterArrays.close(packetsByWorker);
        CounterArrays.close(bytesByWorker);
        CounterArrays.close(selfTestByWorker);
    }
}
