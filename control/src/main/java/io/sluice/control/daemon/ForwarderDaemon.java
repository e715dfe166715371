package io.sluice.control.daemon;

import io.sluice.control.cnc.ControlFile;
import io.sluice.control.cnc.ControlFileException;
import io.sluice.forwarder.conductor.ConductorAgent;
import io.sluice.forwarder.conductor.ConductorContext;
import io.sluice.forwarder.conductor.ConfigFileStore;
import io.sluice.forwarder.conductor.VipSetListener;
import io.sluice.forwarder.config.ConfigException;
import io.sluice.forwarder.config.VipAddresses;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.forwarder.worker.PollIdleStrategy;
import io.sluice.forwarder.worker.PacketWorkerAgent;
import io.sluice.linux.LinuxException;
import io.sluice.linux.netlink.Link;
import io.sluice.linux.netlink.RtNetlink;
import io.sluice.linux.packet.ClassicBpfProgram;
import io.sluice.linux.packet.PacketBatchSender;
import io.sluice.linux.packet.PacketSocket;
import io.sluice.linux.packet.PacketSocketOptions;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ShutdownSignalBarrier;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a forwarder until SIGTERM or SIGINT: the control file, one AF_PACKET worker per queue
 * (joined in one PACKET_FANOUT group so a flow always reaches the same worker and its flow
 * table), and the conductor that applies configuration. Each agent has its own thread.
 */
public final class ForwarderDaemon
{
    /** How long an idle worker sleeps in poll(); also bounds how late it sees a new table when idle. */
    static final int WORKER_POLL_TIMEOUT_MS = 10;
    static final int SEND_BATCH = PacketBatchSender.DEFAULT_CAPACITY;

    private ForwarderDaemon()
    {
    }

    /** @return the process exit code. */
    public static int run(final ForwarderOptions options)
    {
        final Optional<Link> link;
        try (RtNetlink netlink = RtNetlink.open())
        {
            link = netlink.link(options.iface());
        }
        if (link.isEmpty())
        {
            System.err.println("sluice: no interface '" + options.iface() + "' in this network namespace");
            return 1;
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

            final int queues = options.queues();
            final int fanoutGroup = queues > 1 ? (int)(ProcessHandle.current().pid() % 0xFFFE) + 1 : 0;
            final PacketSocket[] sockets = new PacketSocket[queues];
            for (int i = 0; i < queues; i++)
            {
                sockets[i] = PacketSocket.open(options.iface(), PacketSocketOptions.defaults().withFanoutGroupId(fanoutGroup));
                resources.add(sockets[i]);
                final PacketBatchSender sender = PacketBatchSender.over(sockets[i], SEND_BATCH);
                resources.add(sender);
                final FlowTable flows = new FlowTable(options.flowsPerWorker());
                resources.add(flows);
                final WorkerCounters workerCounters = new WorkerCounters(counters, i);
                final PacketProcessor processor = new PacketProcessor(i, flows, workerCounters);
                processor.localMac(sockets[i].macAddress());
                final PacketWorkerAgent worker = new PacketWorkerAgent(
                    i, sockets[i], sender, processor, tables, workerCounters, SystemNanoClock.INSTANCE, options.workerCpus()[i]);
                runners.add(new AgentRunner(
                    new PollIdleStrategy(sockets[i]::awaitBlock, WORKER_POLL_TIMEOUT_MS), errors, null, worker));
            }

            final NeighbourResolver resolver = new NeighbourResolver(RtNetlink.open(), link.get().index());
            resources.add(resolver);
            final VipSetListener filters = (vips) ->
            {
                final ClassicBpfProgram filter = ClassicBpfProgram.ipv4DestinationFilter(VipAddresses.distinct(vips));
                for (final PacketSocket socket : sockets)
                {
                    socket.attachFilter(filter);
                }
            };
            final ConductorAgent conductor = new ConductorAgent(new ConductorContext(
                controlFile.toForwarder(),
                controlFile.newReplyTransmitter(),
                counters,
                tables,
                queues,
                resolver,
                options.stateDir().resolve(ConfigFileStore.DEFAULT_FILE_NAME),
                SystemEpochClock.INSTANCE,
                SystemNanoClock.INSTANCE,
                filters));
            runners.add(0, new AgentRunner(new SleepingMillisIdleStrategy(1), errors, null, conductor));

            for (final AgentRunner runner : runners)
            {
                AgentRunner.startOnThread(runner);
            }
            System.out.println("sluice forwarder: " + options.iface() + " (index " + link.get().index() + ", mac " +
                formatMac(sockets[0].macAddress()) + "), " + queues + " worker(s), AF_PACKET, " +
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
