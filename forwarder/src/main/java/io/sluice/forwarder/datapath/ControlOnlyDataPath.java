package io.sluice.forwarder.datapath;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.conductor.VipSetListener;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.counters.WorkerCounters;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link io.sluice.forwarder.IoPath#NONE}: no sockets and no worker threads, only each worker's
 * counters, allocated as a real data path allocates them, so a forwarder embedded in a test or
 * a tool shows the same counters to {@code sluice stats} while nothing moves packets.
 */
final class ControlOnlyDataPath implements DataPath
{
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<WorkerCounters> workerCounters = new ArrayList<>();

    ControlOnlyDataPath(final Forwarder.Context ctx, final CountersManager counters)
    {
        for (int i = 0; i < ctx.queues(); i++)
        {
            final WorkerCounters worker = new WorkerCounters(counters, i);
            resources.add(worker);
            workerCounters.add(worker);
        }
    }

    @Override
    public List<AgentRunner> workers()
    {
        return List.of();
    }

    @Override
    public List<WorkerCounters> workerCounters()
    {
        return workerCounters;
    }

    @Override
    public VipSetListener vipSet()
    {
        return (vips) -> { };
    }

    @Override
    public void localAddresses(final List<IpAddress> addresses)
    {
    }

    @Override
    public String description()
    {
        return "no data path";
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(resources);
    }
}
