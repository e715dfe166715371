package io.sluice.control.daemon;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.conductor.VipSetListener;
import io.sluice.forwarder.dataplane.NatFlows;
import io.sluice.forwarder.flow.FlowTable;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;

import java.util.List;

/**
 * The worker side of a running forwarder: one worker agent per queue on its sockets, and what
 * steers VIP packets to them, kept in step with the VIP set. Closing it detaches and closes
 * everything it opened (the workers must have stopped).
 */
interface DataPath extends AutoCloseable
{
    /** One runner per worker, not yet started. */
    List<AgentRunner> workers();

    /** Keeps the packet filter or the XDP program's VIP map in step with the configuration. */
    VipSetListener vipSet();

    /** Work for the conductor's thread besides its own (e.g. copying kernel counters), or null. */
    default Agent housekeeping()
    {
        return null;
    }

    /**
     * The forwarder's own addresses (both families, sorted) changed: a NAT real's packets to them
     * stay with the kernel. Called on the conductor's thread.
     */
    void localAddresses(List<IpAddress> addresses);

    /** For the start-up line, e.g. "AF_XDP (native, copy)". */
    String description();

    @Override
    void close();

    /**
     * One NAT reply table per worker, each told of all the others (a reply may reach any worker);
     * the tables are added to {@code resources}, to be closed with the data path.
     */
    static NatFlows[] natFlows(final int workers, final int capacity, final List<AutoCloseable> resources)
    {
        final NatFlows[] nat = new NatFlows[workers];
        final FlowTable[] tables = new FlowTable[workers];
        for (int i = 0; i < workers; i++)
        {
            tables[i] = FlowTable.withPayload(capacity);
            resources.add(tables[i]);
            nat[i] = new NatFlows(tables[i]);
        }
        for (final NatFlows worker : nat)
        {
            worker.peers(tables);
        }
        return nat;
    }
}
