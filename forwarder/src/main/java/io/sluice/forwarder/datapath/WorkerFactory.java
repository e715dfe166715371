package io.sluice.forwarder.datapath;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.NatFlows;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.worker.PollIdleStrategy;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;

/**
 * What every worker has whatever its sockets, made the one way for both I/O paths: its flow
 * table, its NAT reply table (each told of all the others, as a reply may reach any worker), its
 * counters, and a {@link PacketProcessor} over them set up with the interfaces' MACs, the MTU
 * towards the reals and the tunnel source; and the runner that idles the worker in poll() on its
 * sockets. Everything it makes is added to the list of resources it was given, to be closed
 * with the data path.
 */
public final class WorkerFactory
{
    private final Forwarder.Context ctx;
    private final CountersManager counters;
    private final List<AutoCloseable> resources;
    private final NatFlows[] nat;
    private final List<Worker> workers = new ArrayList<>();

    /** @param ctx a concluded context: its queues, flows per worker, tunnel source, CPUs, clock and tables. */
    public WorkerFactory(final Forwarder.Context ctx, final CountersManager counters, final List<AutoCloseable> resources)
    {
        this.ctx = ctx;
        this.counters = counters;
        this.resources = resources;
        this.nat = new NatFlows[ctx.queues()];
        final FlowTable[] tables = new FlowTable[ctx.queues()];
        for (int i = 0; i < tables.length; i++)
        {
            tables[i] = FlowTable.withPayload(ctx.flows());
            resources.add(tables[i]);
            nat[i] = new NatFlows(tables[i]);
        }
        for (final NatFlows worker : nat)
        {
            worker.peers(tables);
        }
    }

    /**
     * The processor of worker {@code index}, with its own flow table and counters.
     *
     * @param localMac  the MAC of the interface packets arrive on (the clients' side).
     * @param egressMac the MAC of the interface packets to reals leave by.
     * @param mtu       that interface's MTU (a tunnelled packet that would not fit is refused).
     */
    public Worker worker(final int index, final long localMac, final long egressMac, final int mtu)
    {
        final FlowTable flows = new FlowTable(ctx.flows());
        resources.add(flows);
        final WorkerCounters workerCounters = new WorkerCounters(counters, index);
        resources.add(workerCounters);
        final PacketProcessor processor = new PacketProcessor(index, flows, nat[index], workerCounters);
        processor.localMac(localMac);
        processor.egressMac(egressMac);
        processor.mtu(mtu);
        processor.tunnelSource(ctx.tunnelSource().address(), ctx.tunnelSource().length());
        processor.guePort(ctx.guePort());
        final Worker worker = new Worker(index, processor, workerCounters, ctx.workerCpus()[index]);
        workers.add(worker);
        return worker;
    }

    /** A runner for a worker's agent that sleeps in {@code poll()} on its sockets when idle. */
    public AgentRunner runner(final Agent agent, final PollIdleStrategy.ReadinessWait sockets)
    {
        return new AgentRunner(new PollIdleStrategy(sockets, ctx.workerPollTimeoutMs()), ctx.errorHandler(), null, agent);
    }

    /** Every worker made so far, indexed by worker. */
    public List<Worker> workers()
    {
        return workers;
    }

    /** The worker's part that does not depend on its sockets; with them it makes a worker agent. */
    public record Worker(int index, PacketProcessor processor, WorkerCounters counters, int cpu)
    {
    }
}
