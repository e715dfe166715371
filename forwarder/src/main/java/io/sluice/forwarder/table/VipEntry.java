package io.sluice.forwarder.table;

import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.config.VipSpec;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * One VIP as the data path sees it: its reals, the Maglev lookup table built from them (which
 * both the maglev and the source-hash schedulers read) and, for round-robin, the rotation, for
 * least-connection, the live flow counts (each worker writes its own rows). Built by the
 * conductor off the data path, immutable once published but for those per-worker rows.
 */
public final class VipEntry
{
    /** What {@link #id()} is for a VIP built without one (tests): not found by {@link ForwardingTable#vipById}. */
    public static final int NO_ID = -1;
    /** What {@link #selfTestByWorker()} is for a VIP built without self-test counters (tests): nothing is reported. */
    public static final AtomicCounter[] NO_SELF_TEST = new AtomicCounter[0];

    private final int id;
    private final VipSpec spec;
    private final RealEntry[] reals;
    private final int[] maglev;
    private final int[] secondaries;
    private final int scheduler;
    private final RoundRobin roundRobin;
    private final LeastConnection leastConnection;
    private final int[] idSlots;
    private final int idMask;
    private final AtomicCounter[] packetsByWorker;
    private final AtomicCounter[] bytesByWorker;
    private final AtomicCounter[] selfTestByWorker;

    /**
     * @param maglev entry i is an index into {@code reals}, or -1 when the VIP has no real;
     *               its length is the Maglev table size M (prime).
     */
    public VipEntry(
        final VipSpec spec,
        final RealEntry[] reals,
        final int[] maglev,
        final AtomicCounter[] packetsByWorker,
        final AtomicCounter[] bytesByWorker)
    {
        this(NO_ID, spec, reals, maglev, null, packetsByWorker, bytesByWorker);
    }

    /** A VIP without an id (see {@link #NO_ID}). */
    public VipEntry(
        final VipSpec spec,
        final RealEntry[] reals,
        final int[] maglev,
        final RoundRobin roundRobin,
        final AtomicCounter[] packetsByWorker,
        final AtomicCounter[] bytesByWorker)
    {
        this(NO_ID, spec, reals, maglev, roundRobin, packetsByWorker, bytesByWorker);
    }

    /** A VIP whose scheduler is not least-connection. */
    public VipEntry(
        final int id,
        final VipSpec spec,
        final RealEntry[] reals,
        final int[] maglev,
        final RoundRobin roundRobin,
        final AtomicCounter[] packetsByWorker,
        final AtomicCounter[] bytesByWorker)
    {
        this(id, spec, reals, maglev, roundRobin, null, packetsByWorker, bytesByWorker);
    }

    /** A VIP without self-test counters. */
    public VipEntry(
        final int id,
        final VipSpec spec,
        final RealEntry[] reals,
        final int[] maglev,
        final RoundRobin roundRobin,
        final LeastConnection leastConnection,
        final AtomicCounter[] packetsByWorker,
        final AtomicCounter[] bytesByWorker)
    {
        this(id, spec, reals, maglev, null, roundRobin, leastConnection, packetsByWorker, bytesByWorker, NO_SELF_TEST);
    }

    /**
     * @param id               the conductor's id for the VIP, unique for the forwarder's life: a NAT
     *                         flow of an IPv6 VIP remembers it, as its address does not fit a flow value.
     * @param secondaries      for a VIP with second chance, each Maglev row's second real (an index
     *                         into {@code reals}, -1 for none; see
     *                         {@link io.sluice.forwarder.maglev.MaglevSecondaries}), as long as
     *                         {@code maglev}; null otherwise.
     * @param roundRobin       the rotation over {@code reals} when the VIP's scheduler is round-robin
     *                         (required then), else null.
     * @param leastConnection  the live flow counts over {@code reals} when the VIP's scheduler is
     *                         least-connection (required then), else null.
     * @param selfTestByWorker where each worker reports its self-test of this VIP (see
     *                         {@code io.sluice.forwarder.worker.SelfTestResult}).
     */
    public VipEntry(
        final int id,
        final VipSpec spec,
        final RealEntry[] reals,
        final int[] maglev,
        final int[] secondaries,
        final RoundRobin roundRobin,
        final LeastConnection leastConnection,
        final AtomicCounter[] packetsByWorker,
        final AtomicCounter[] bytesByWorker,
        final AtomicCounter[] selfTestByWorker)
    {
        if (secondaries != null && secondaries.length != maglev.length)
        {
            throw new IllegalArgumentException(
                "secondaries for " + secondaries.length + " Maglev rows but the table has " + maglev.length);
        }
        if (spec.scheduler() == SchedulerKind.ROUND_ROBIN && (roundRobin == null || roundRobin.size() != reals.length))
        {
            throw new IllegalArgumentException("a round-robin VIP needs a rotation over its " + reals.length + " reals");
        }
        if (spec.scheduler() == SchedulerKind.LEAST_CONNECTION &&
            (leastConnection == null || leastConnection.size() != reals.length))
        {
            throw new IllegalArgumentException("a least-connection VIP needs counts over its " + reals.length + " reals");
        }
        this.id = id;
        this.spec = spec;
        this.reals = reals;
        this.maglev = maglev;
        this.secondaries = secondaries;
        this.scheduler = spec.scheduler().ordinal();
        this.roundRobin = roundRobin;
        this.leastConnection = leastConnection;
        this.packetsByWorker = packetsByWorker;
        this.bytesByWorker = bytesByWorker;
        this.selfTestByWorker = selfTestByWorker;

        int slots = 4;
        while (slots < reals.length * 2)
        {
            slots <<= 1;
        }
        idMask = slots - 1;
        idSlots = new int[slots * 2];
        java.util.Arrays.fill(idSlots, -1);
        for (int i = 0; i < reals.length; i++)
        {
            int slot = mix(reals[i].id()) & idMask;
            while (idSlots[slot * 2] != -1)
            {
                slot = (slot + 1) & idMask;
            }
            idSlots[slot * 2] = reals[i].id();
            idSlots[slot * 2 + 1] = i;
        }
    }

    public int id()
    {
        return id;
    }

    public VipSpec spec()
    {
        return spec;
    }

    public RealEntry[] reals()
    {
        return reals;
    }

    /** The VIP's {@link SchedulerKind}'s ordinal: compared as an int on the data path. */
    public int scheduler()
    {
        return scheduler;
    }

    /** The round-robin rotation, for a round-robin VIP; null otherwise. */
    public RoundRobin roundRobin()
    {
        return roundRobin;
    }

    /** The live flow counts, for a least-connection VIP; null otherwise. */
    public LeastConnection leastConnection()
    {
        return leastConnection;
    }

    /** The Maglev lookup table: values are indexes into {@link #reals()}, -1 when there is no real. */
    public int[] maglev()
    {
        return maglev;
    }

    /**
     * Each Maglev row's second real for second chance: indexes into {@link #reals()}, -1 for
     * none; null when the VIP does not use second chance.
     */
    public int[] secondaries()
    {
        return secondaries;
    }

    public AtomicCounter[] packetsByWorker()
    {
        return packetsByWorker;
    }

    public AtomicCounter[] bytesByWorker()
    {
        return bytesByWorker;
    }

    /** Each worker's self-test report for this VIP; empty for a VIP built without them. */
    public AtomicCounter[] selfTestByWorker()
    {
        return selfTestByWorker;
    }

    /** @return the index in {@link #reals()} of the real with this id, or -1 if it is no longer here. */
    public int realIndexOf(final int realId)
    {
        int slot = mix(realId) & idMask;
        while (true)
        {
            final int id = idSlots[slot * 2];
            if (id == realId)
            {
                return idSlots[slot * 2 + 1];
            }
            if (id == -1)
            {
                return -1;
            }
            slot = (slot + 1) & idMask;
        }
    }

    private static int mix(final int value)
    {
        final int h = value * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
