package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.LeastConnection;
import io.sluice.forwarder.table.VipEntry;

import java.util.concurrent.TimeUnit;

/**
 * A worker's count of its live flows per real of each least-connection VIP, what that VIP's
 * {@link LeastConnection} picks by. A flow ends by idling out of the flow table rather than by a
 * packet the worker sees (in DSR the replies never pass here), so the count is a scan: a slice of
 * {@link #ENTRIES_PER_STEP} entries per duty cycle, one whole pass at most every
 * {@link #PASS_INTERVAL_NS}, none at all while no VIP is least-connection. A new table restarts
 * the pass, as its reals may differ. NAT flows that saw a FIN or RST are closing and not counted.
 *
 * <p>Owned by one worker thread; nothing here allocates.
 */
final class FlowCensus
{
    /** About 4096 x 16 bytes read per cycle: a few microseconds off a busy worker's packets. */
    static final int ENTRIES_PER_STEP = 4096;
    static final long PASS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final int workerIndex;
    private final FlowTable flows;
    /** The table the pass in progress counts for; null between passes. */
    private ForwardingTable passTable;
    private int nextEntry;
    private long nextPassNs;

    FlowCensus(final int workerIndex, final FlowTable flows)
    {
        this.workerIndex = workerIndex;
        this.flows = flows;
    }

    /** Counts the next slice of the table, starting a pass when one is due. */
    void step(final ForwardingTable table, final long nowNs)
    {
        final VipEntry[] vips = table.leastConnectionVips();
        if (vips.length == 0)
        {
            passTable = null;
            return;
        }
        if (passTable != table)
        {
            if (passTable == null && nowNs - nextPassNs < 0)
            {
                return;
            }
            for (final VipEntry vip : vips)
            {
                vip.leastConnection().startCount(workerIndex);
            }
            passTable = table;
            nextEntry = 0;
        }
        final int end = Math.min(flows.capacity(), nextEntry + ENTRIES_PER_STEP);
        for (int entry = nextEntry; entry < end; entry++)
        {
            final long value = flows.liveValueAt(entry, nowNs);
            if (value != FlowTable.MISSING && (value & TcpClosing.FLAGS) == 0)
            {
                count(vips, (int)value);
            }
        }
        nextEntry = end;
        if (end == flows.capacity())
        {
            for (final VipEntry vip : vips)
            {
                vip.leastConnection().publish(workerIndex);
            }
            passTable = null;
            nextPassNs = nowNs + PASS_INTERVAL_NS;
        }
    }

    /** Real ids are unique over all VIPs, so a flow's real belongs to one VIP at most. */
    private void count(final VipEntry[] vips, final int realId)
    {
        for (final VipEntry vip : vips)
        {
            final int index = vip.realIndexOf(realId);
            if (index >= 0)
            {
                vip.leastConnection().count(workerIndex, index);
                return;
            }
        }
    }
}
