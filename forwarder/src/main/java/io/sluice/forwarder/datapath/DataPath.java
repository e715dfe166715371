package io.sluice.forwarder.datapath;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.IoPath;
import io.sluice.forwarder.conductor.VipSetListener;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.host.HostInterfaces;
import io.sluice.linux.LinuxException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.status.CountersManager;

import java.util.List;

/**
 * The worker side of a running forwarder: one worker agent per queue on its sockets, and what
 * steers VIP packets to them, kept in step with the VIP set. Closing it detaches and closes
 * everything it opened (the workers must have stopped).
 */
public interface DataPath extends AutoCloseable
{
    /**
     * The context's I/O path: AF_XDP or AF_PACKET as asked; when not asked, AF_XDP where it can
     * be set up, else AF_PACKET after one line saying why not; or none at all.
     *
     * @param interfaces the interfaces to run on; null for {@link IoPath#NONE}.
     */
    static DataPath open(final Forwarder.Context ctx, final HostInterfaces interfaces, final CountersManager counters)
    {
        switch (ctx.io())
        {
            case NONE:
                return new SocketlessDataPath(ctx, counters);
            case PACKET:
                return new PacketDataPath(ctx, interfaces, counters);
            case XDP:
                return new XdpDataPath(ctx, interfaces, counters);
            default:
                try
                {
                    return new XdpDataPath(ctx, interfaces, counters);
                }
                catch (final LinuxException ex)
                {
                    ctx.messages().accept("AF_XDP cannot be set up on " + interfaces.link().name() + " (" + ex.getMessage() +
                        "); using AF_PACKET");
                    return new PacketDataPath(ctx, interfaces, counters);
                }
        }
    }

    /** One runner per worker, not yet started (none without sockets). */
    List<AgentRunner> runners();

    /** Each worker's processor and counters, indexed by worker. */
    List<WorkerFactory.Worker> workers();

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
}
