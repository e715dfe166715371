package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.flow.FlowTable;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

/**
 * Where a worker's self-test packet leaves its traces instead of the worker's own state
 * ({@link PacketProcessor#probe}): a flow table and a NAT reply table of one bucket each, so its
 * flow is never one a client's packet finds nor a reply another worker looks up, and counters
 * of its own outside the control file, so no drop, flow or checksum count users read moves.
 * Made once per worker, before it starts; closed once it has stopped.
 */
public final class ProbeScratch implements AutoCloseable
{
    /** Enough for every counter a {@link WorkerCounters} holds, with room to spare. */
    private static final int COUNTERS = 64;

    private final FlowTable flows = new FlowTable(FlowTable.ENTRIES_PER_BUCKET);
    private final FlowTable natFlows = FlowTable.withPayload(FlowTable.ENTRIES_PER_BUCKET);
    final WorkerCounters counters;
    final RealSelection reals;
    final NatTranslation nat;

    public ProbeScratch(final int workerIndex)
    {
        final CountersManager own = new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(COUNTERS * CountersManager.METADATA_LENGTH, 64)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(COUNTERS * CountersManager.COUNTER_LENGTH, 64)));
        this.counters = new WorkerCounters(own, workerIndex);
        this.reals = new RealSelection(workerIndex, flows, counters);
        this.nat = new NatTranslation(new NatFlows(natFlows));
    }

    /** What the self-test packets counted: for tests (drops by reason, flows created). */
    public WorkerCounters counters()
    {
        return counters;
    }

    @Override
    public void close()
    {
        flows.close();
        natFlows.close();
    }
}
