package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;

/**
 * The pipeline's real-selection stage: which of a VIP's reals a flow goes to, for both IP
 * versions. A flow keeps the real this worker's flow table remembers for it while that real is
 * still the VIP's and healthy; otherwise the VIP's scheduler places it (the hash schedulers by
 * the flow's Maglev {@link #row}, the one fallback) and the choice is remembered. An ICMP error
 * about a flow is sent where the flow went ({@link #placed}), without remembering anything.
 *
 * <p>For a VIP with second chance a new flow also takes its Maglev row's secondary
 * ({@link #secondary()}), and the flow-table value remembers it next to the real's id, so a flow
 * keeps its pair of reals as it keeps its real: a connection that lives on the secondary (it came
 * here mid-way from another forwarder) is not cut off when a later change of reals gives the row
 * another secondary. Storing it costs the hits one probe of the VIP's id table, no division and
 * no read of the 256 KiB secondaries array, and nothing at all for VIPs without second chance.
 * Value layout: bits 0-31 the real's id, bits 32-60 the secondary's id (0: none; a real id that
 * does not fit is stored as none), bits 61-62 NAT's closing flags ({@link TcpClosing}).
 *
 * <p>Owned by one worker thread; nothing here allocates.
 */
final class RealSelection
{
    private static final int SOURCE_HASH = SchedulerKind.SOURCE_HASH.ordinal();
    private static final int ROUND_ROBIN = SchedulerKind.ROUND_ROBIN.ordinal();
    private static final int LEAST_CONNECTION = SchedulerKind.LEAST_CONNECTION.ordinal();
    private static final int SECONDARY_SHIFT = 32;
    private static final int SECONDARY_ID_MASK = (1 << 29) - 1;

    private final int workerIndex;
    private final FlowTable flows;
    private final WorkerCounters counters;
    /** The flow-table value {@link #realFor} last found or stored (real id, secondary's id, NAT closing flags). */
    private long flowValue;
    /** The second-chance real of the flow {@link #realFor} last placed, or null. */
    private RealEntry secondary;

    RealSelection(final int workerIndex, final FlowTable flows, final WorkerCounters counters)
    {
        this.workerIndex = workerIndex;
        this.flows = flows;
        this.counters = counters;
    }

    FlowTable flows()
    {
        return flows;
    }

    /** The flow-table value of the flow {@link #realFor} last placed: its real's id and NAT closing flags. */
    long flowValue()
    {
        return flowValue;
    }

    /**
     * The second real of the flow {@link #realFor} last placed, for a VIP with second chance: its
     * Maglev row's secondary when it was new, while that real is still the VIP's and healthy;
     * null otherwise.
     */
    RealEntry secondary()
    {
        return secondary;
    }

    /**
     * The flow's remembered real if it is still one of the VIP's reals and healthy, else the
     * scheduler's choice, which is then remembered: Maglev over the 5-tuple's hash, Maglev over
     * the client address's hash (source-hash), the worker's next turn (round-robin), or the real
     * with the fewest live flows per weight (least-connection). A flow
     * whose real left the VIP or is down picks again, so it lands on a live real; flows on live
     * reals never move; a real that joined takes only new flows. A SYN on a NAT flow that has
     * closed starts a new flow.
     *
     * @return the real, or null when the VIP has none.
     */
    RealEntry realFor(
        final VipEntry vip, final ParsedFlow flow, final long key0, final long key1, final int hash, final long nowNs,
        final long idleTimeoutNs)
    {
        final RealEntry[] reals = vip.reals();
        final long remembered = flows.lookup(key0, key1, hash, nowNs, idleTimeoutNs);
        if (remembered != FlowTable.MISSING &&
            ((remembered & TcpClosing.FLAGS) == 0 || !TcpClosing.opens(flow.tcpFlags())))
        {
            final int index = vip.realIndexOf((int)remembered);
            if (index >= 0 && reals[index].healthy())
            {
                flowValue = remembered;
                if (vip.secondaries() != null)
                {
                    secondary = rememberedSecondary(vip, remembered);
                }
                return reals[index];
            }
        }

        final int scheduler = vip.scheduler();
        final int index;
        long secondaryBits = 0;
        if (scheduler == ROUND_ROBIN || scheduler == LEAST_CONNECTION)
        {
            index = scheduler == ROUND_ROBIN ? vip.roundRobin().next(workerIndex) : vip.leastConnection().next(workerIndex);
        }
        else
        {
            final int row = row(vip, hash, flow.ipv6(), flow.sourceHigh(), flow.sourceLow());
            index = row < 0 ? -1 : vip.maglev()[row];
            final int[] secondaries = vip.secondaries();
            if (index >= 0 && secondaries != null)
            {
                final int second = secondaries[row];
                secondary = second < 0 ? null : reals[second];
                secondaryBits = secondary == null || secondary.id() > SECONDARY_ID_MASK ? 0 :
                    (long)secondary.id() << SECONDARY_SHIFT;
            }
        }
        if (index < 0)
        {
            return null;
        }
        final RealEntry real = reals[index];
        flowValue = (real.id() & 0xFFFF_FFFFL) | secondaryBits;
        if (flows.insert(key0, key1, hash, flowValue, nowNs, idleTimeoutNs))
        {
            counters.flowsEvicted.incrementRelease();
        }
        counters.flowsCreated.incrementRelease();
        return real;
    }

    /**
     * Where a flow went, for an ICMP error about it: the real this worker's table remembers, or
     * where the VIP's hash scheduler placed it if another worker saw it (round-robin and
     * least-connection flows are only found in the table).
     *
     * @return the real, or null when the flow is on none or on one that is down.
     */
    RealEntry placed(
        final VipEntry vip, final boolean ipv6, final long key0, final long key1, final int hash, final long clientHigh,
        final long clientLow, final long nowNs, final long idleTimeoutNs)
    {
        final long remembered = flows.lookup(key0, key1, hash, nowNs, idleTimeoutNs);
        int index = remembered == FlowTable.MISSING ? -1 : vip.realIndexOf((int)remembered);
        if (index < 0 && vip.scheduler() != ROUND_ROBIN && vip.scheduler() != LEAST_CONNECTION)
        {
            final int row = row(vip, hash, ipv6, clientHigh, clientLow);
            index = row < 0 ? -1 : vip.maglev()[row];
        }
        final RealEntry[] reals = vip.reals();
        return index < 0 || !reals[index].healthy() ? null : reals[index];
    }

    /**
     * The hash schedulers' row for a flow: the VIP's Maglev table at the 5-tuple's hash or, for
     * source-hash, the client address's.
     *
     * @return the row, or -1 when the VIP has no table; the row's real is -1 when it has no live real.
     */
    private static int row(
        final VipEntry vip, final int hash, final boolean ipv6, final long clientHigh, final long clientLow)
    {
        final int size = vip.maglev().length;
        if (size == 0)
        {
            return -1;
        }
        final int key = vip.scheduler() == SOURCE_HASH ? IpFamily.clientHash(ipv6, clientHigh, clientLow) : hash;
        return Integer.remainderUnsigned(key, size);
    }

    /** The secondary a flow-table value remembers, while it is still the VIP's and healthy; else null. */
    private static RealEntry rememberedSecondary(final VipEntry vip, final long remembered)
    {
        final int id = (int)(remembered >>> SECONDARY_SHIFT) & SECONDARY_ID_MASK;
        final int index = id == 0 ? -1 : vip.realIndexOf(id);
        return index < 0 || !vip.reals()[index].healthy() ? null : vip.reals()[index];
    }
}
