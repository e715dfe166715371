package io.sluice.forwarder.datapath;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.conductor.VipSetListener;
import io.sluice.forwarder.config.VipKey;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;

/**
 * What every data path keeps the same way: everything it opened, closed in reverse order; its
 * workers, made by one {@link WorkerFactory}, and their runners; and the conductor's VIP set,
 * passed on as two calls a data path answers by steering those packets to its workers.
 */
abstract class AbstractDataPath implements DataPath
{
    final List<AutoCloseable> resources = new ArrayList<>();
    final List<AgentRunner> runners = new ArrayList<>();
    final WorkerFactory factory;

    AbstractDataPath(final Forwarder.Context ctx, final CountersManager counters)
    {
        factory = new WorkerFactory(ctx, counters, resources);
    }

    /** The VIPs changed (every one, in ascending order): steer their packets to the workers. */
    abstract void vips(List<VipKey> vips);

    /** NAT VIPs' reals changed: steer their replies to the workers too, to be translated back. */
    abstract void natReals(List<VipKey> natReals);

    @Override
    public final List<AgentRunner> runners()
    {
        return runners;
    }

    @Override
    public final List<WorkerFactory.Worker> workers()
    {
        return factory.workers();
    }

    @Override
    public final VipSetListener vipSet()
    {
        return new VipSetListener()
        {
            @Override
            public void onVips(final List<VipKey> vips)
            {
                vips(vips);
            }

            @Override
            public void onNatReals(final List<VipKey> natReals)
            {
                natReals(natReals);
            }
        };
    }

    @Override
    public void close()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(resources.get(i));
        }
        resources.clear();
    }
}
