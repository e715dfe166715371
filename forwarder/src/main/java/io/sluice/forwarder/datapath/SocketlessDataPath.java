package io.sluice.forwarder.datapath;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipKey;
import org.agrona.concurrent.status.CountersManager;

import java.util.List;

/**
 * {@link io.sluice.forwarder.IoPath#NONE}: each worker's tables, counters and packet processor,
 * made as the other data paths make them, but no sockets and no worker threads. A forwarder
 * embedded in a test shows the same counters to {@code sluice stats} while nothing moves
 * packets; a benchmark feeds a worker's processor batches of frames from memory.
 */
final class SocketlessDataPath extends AbstractDataPath
{
    /** No interface to take a MAC or an MTU from: Ethernet's MTU, MAC 0. */
    private static final int ETHERNET_MTU = 1500;

    SocketlessDataPath(final Forwarder.Context ctx, final CountersManager counters)
    {
        super(ctx, counters);
        for (int i = 0; i < ctx.queues(); i++)
        {
            factory.worker(i, 0L, 0L, ETHERNET_MTU);
        }
    }

    /** Nothing to steer: no packets arrive. */
    @Override
    void vips(final List<VipKey> vips)
    {
    }

    @Override
    void natReals(final List<VipKey> natReals)
    {
    }

    @Override
    public void localAddresses(final List<IpAddress> addresses)
    {
    }

    @Override
    public String description()
    {
        return "no sockets";
    }
}
