package io.sluice.control.daemon;

import io.sluice.forwarder.config.IpAddress;
import io.sluice.control.cnc.ControlFile;
import io.sluice.control.cnc.ControlFileException;
import io.sluice.forwarder.conductor.ConductorAgent;
import io.sluice.forwarder.conductor.ConductorContext;
import io.sluice.forwarder.conductor.ConfigFileStore;
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.linux.LinuxException;
import io.sluice.linux.netlink.Link;
import io.sluice.linux.netlink.RtNetlink;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a forwarder until SIGTERM or SIGINT: the control file, the data path (AF_XDP or AF_PACKET,
 * one worker per queue) and the conductor that applies configuration. Each agent has its own
 * thread.
 */
public final class ForwarderDaemon
{
    /** How long an idle worker sleeps in poll(); also bounds how late it sees a new table when idle. */
    static final int WORKER_POLL_TIMEOUT_MS = 10;

    private ForwarderDaemon()
    {
    }

    /** @return the process exit code. */
    public static int run(final ForwarderOptions options)
    {
        final Optional<Link> link;
        final Optional<Link> egress;
        final List<IpAddress> localAddresses;
        try (RtNetlink netlink = RtNetlink.open())
        {
            link = netlink.link(options.iface());
            egress = options.egressIface() == null ? link : netlink.link(options.egressIface());
            if (link.isEmpty() || egress.isEmpty())
            {
                System.err.println("sluice: no interface '" + (link.isEmpty() ? options.iface() : options.egressIface()) +
                    "' in this network namespace");
                return 1;
            }
            // The interfaces' own addresses: a NAT real's packets to them (health checks) are the kernel's.
            localAddresses = LocalAddressWatcher.read(netlink, new int[]{link.get().index(), egress.get().index()});
        }

        // Made first so a SIGTERM during start-up also waits for the clean-up below; closing it
        // at the end lets the JVM's shutdown proceed.
        final ShutdownSignalBarrier shutdown = new ShutdownSignalBarrier();
        final List<AutoCloseable> resources = new ArrayList<>();
        final List<AgentRunner> runners = new ArrayList<>();
        try
        {
            final ControlFile controlFile = ControlFile.create(options.stateDir());
            resources.add(controlFile);
            final CountersManager counters = controlFile.countersManager(
                SystemEpochClock.INSTANCE, ConductorAgent.COUNTER_FREE_TO_REUSE_TIMEOUT_MS);
            final ErrorHandler errors = ForwarderDaemon::reportError;
            final ForwardingTablePublisher tables = new ForwardingTablePublisher();

            final DataPath dataPath = openDataPath(options, link.get(), options.egressIface() == null ? null : egress.get(),
                counters, tables, errors, localAddresses);
            resources.add(dataPath);
            runners.addAll(dataPath.workers());

            // Reals are reached by the egress interface: their next hops are its neighbours.
            final NeighbourResolver resolver = new NeighbourResolver(RtNetlink.open(), egress.get().index());
            resources.add(resolver);
            final ConductorAgent conductor = new ConductorAgent(new ConductorContext(
                controlFile.toForwarder(),
                controlFile.newReplyTransmitter(),
                counters,
                tables,
                options.queues(),
                resolver,
                options.stateDir().resolve(ConfigFileStore.DEFAULT_FILE_NAME),
                SystemEpochClock.INSTANCE,
                SystemNanoClock.INSTANCE,
                dataPath.vipSet()));
            final LocalAddressWatcher localAddressWatcher = new LocalAddressWatcher(RtNetlink.open(),
                new int[]{link.get().index(), egress.get().index()}, localAddresses, dataPath::localAddresses,
                SystemEpochClock.INSTANCE);
            resources.add(localAddressWatcher);
            final Agent housekeeping = dataPath.housekeeping();
            runners.add(0, new AgentRunner(new SleepingMillisIdleStrategy(1), errors, null, housekeeping == null ?
                new CompositeAgent(conductor, localAddressWatcher) : new CompositeAgent(conductor, localAddressWatcher, housekeeping)));

            for (final AgentRunner runner : runners)
            {
                AgentRunner.startOnThread(runner);
            }
            System.out.println("sluice forwarder: " + options.iface() + " (index " + link.get().index() + ", mac " +
                formatMac(link.get().mac()) + ")" + (options.egressIface() == null ? "" : ", to reals by " + options.egressIface() +
                " (index " + egress.get().index() + ", mac " + formatMac(egress.get().mac()) + ")") + ", " + options.queues() + " worker(s), " + dataPath.description() + ", " +
                conductor.config().vips().size() + " VIP(s) restored, state " + options.stateDir());
            System.out.flush();
            shutdown.await();
            System.out.println("sluice forwarder: stopping");
            return 0;
        }
        catch (final ConfigException | ControlFileException | LinuxException | IllegalArgumentException ex)
        {
            System.err.println("sluice: " + ex.getMessage());
            return 1;
        }
        finally
        {
            CloseHelper.closeAll(runners);
            for (int i = resources.size() - 1; i >= 0; i--)
            {
                CloseHelper.quietClose(resources.get(i));
            }
            shutdown.close();
        }
    }

    /**
     * AF_XDP or AF_PACKET as asked; when not asked, AF_XDP where it can be set up, else AF_PACKET
     * after one line saying why not.
     */
    private static DataPath openDataPath(final ForwarderOptions options, final Link link, final Link egressLink,
        final CountersManager counters, final ForwardingTablePublisher tables, final ErrorHandler errors, final List<IpAddress> localAddresses)
    {
        switch (options.io())
        {
            case PACKET:
                return new PacketDataPath(options, counters, tables, errors, localAddresses);
            case XDP:
                return new XdpDataPath(options, link, egressLink, counters, tables, errors, localAddresses);
            default:
                try
                {
                    return new XdpDataPath(options, link, egressLink, counters, tables, errors, localAddresses);
                }
                catch (final LinuxException ex)
                {
                    System.out.println("sluice forwarder: AF_XDP cannot be set up on " + link.name() + " (" + ex.getMessage() +
                        "); using AF_PACKET");
                    return new PacketDataPath(options, counters, tables, errors, localAddresses);
                }
        }
    }

    private static void reportError(final Throwable error)
    {
        System.err.println("sluice forwarder: " + error);
    }

    static String formatMac(final long mac)
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            if (text.length() > 0)
            {
                text.append(':');
            }
            final int octet = (int)(mac >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }
}
