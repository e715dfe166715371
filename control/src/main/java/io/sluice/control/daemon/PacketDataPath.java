package io.sluice.control.daemon;

import io.sluice.forwarder.conductor.VipSetListener;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipAddresses;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.dataplane.NatFlows;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.forwarder.worker.PacketWorkerAgent;
import io.sluice.forwarder.worker.PollIdleStrategy;
import io.sluice.linux.packet.ClassicBpfProgram;
import io.sluice.linux.packet.PacketBatchSender;
import io.sluice.linux.packet.PacketSocket;
import io.sluice.linux.packet.PacketSocketOptions;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.List;

/**
 * The AF_PACKET data path: one TPACKET_V3 socket per worker, joined in one PACKET_FANOUT group
 * so a flow always reaches the same worker and its flow table, each with a classic BPF filter
 * that passes only VIP addresses and the replies of NAT VIPs' reals. Works on any kernel and
 * any NIC. With an egress interface each worker has a second socket there (a fanout group of
 * its own), by which packets to reals leave and NAT replies arrive.
 */
final class PacketDataPath implements DataPath
{
    static final int SEND_BATCH = PacketBatchSender.DEFAULT_CAPACITY;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<AgentRunner> workers = new ArrayList<>();
    private final PacketSocket[] sockets;
    private List<IpAddress> localAddresses;
    private List<VipKey> vips = List.of();
    private List<VipKey> natReals = List.of();

    /** @param localAddresses the interfaces' addresses: a NAT real's packets to them are not replies to translate. */
    PacketDataPath(final ForwarderOptions options, final CountersManager counters, final ForwardingTablePublisher tables,
        final ErrorHandler errors, final List<IpAddress> localAddresses)
    {
        this.localAddresses = localAddresses;
        final int queues = options.queues();
        final int fanoutGroup = queues > 1 ? (int)(ProcessHandle.current().pid() % 0xFFFE) + 1 : 0;
        // A fanout group id is per network namespace, not per interface: the egress sockets need one of their own.
        final int egressFanoutGroup = queues > 1 ? (fanoutGroup % 0xFFFE) + 1 : 0;
        final boolean twoInterfaces = options.egressIface() != null;
        sockets = new PacketSocket[twoInterfaces ? queues * 2 : queues];
        try
        {
            final NatFlows[] nat = DataPath.natFlows(queues, options.flowsPerWorker(), resources);
            for (int i = 0; i < queues; i++)
            {
                sockets[i] = PacketSocket.open(options.iface(), PacketSocketOptions.defaults().withFanoutGroupId(fanoutGroup));
                resources.add(sockets[i]);
                final PacketBatchSender sender = PacketBatchSender.over(sockets[i], SEND_BATCH);
                resources.add(sender);
                final FlowTable flows = new FlowTable(options.flowsPerWorker());
                resources.add(flows);
                final WorkerCounters workerCounters = new WorkerCounters(counters, i);
                resources.add(workerCounters);
                final PacketProcessor processor = new PacketProcessor(i, flows, nat[i], workerCounters);
                processor.localMac(sockets[i].macAddress());
                processor.tunnelSource(options.tunnelSource().address(), options.tunnelSource().length());
                final PacketWorkerAgent worker;
                final PollIdleStrategy idle;
                if (twoInterfaces)
                {
                    final PacketSocket ingress = sockets[i];
                    final PacketSocket egress = PacketSocket.open(options.egressIface(),
                        PacketSocketOptions.defaults().withFanoutGroupId(egressFanoutGroup));
                    sockets[queues + i] = egress;
                    resources.add(egress);
                    final PacketBatchSender egressSender = PacketBatchSender.over(egress, SEND_BATCH);
                    resources.add(egressSender);
                    processor.egressMac(egress.macAddress());
                    processor.mtu(egress.mtu());
                    worker = new PacketWorkerAgent(i, ingress, sender, egress, egressSender, processor, tables, workerCounters,
                        SystemNanoClock.INSTANCE, options.workerCpus()[i]);
                    idle = new PollIdleStrategy((timeoutMs) -> ingress.awaitBlock(egress, timeoutMs),
                        ForwarderDaemon.WORKER_POLL_TIMEOUT_MS);
                }
                else
                {
                    processor.mtu(sockets[i].mtu());
                    worker = new PacketWorkerAgent(
                        i, sockets[i], sender, processor, tables, workerCounters, SystemNanoClock.INSTANCE, options.workerCpus()[i]);
                    idle = new PollIdleStrategy(sockets[i]::awaitBlock, ForwarderDaemon.WORKER_POLL_TIMEOUT_MS);
                }
                workers.add(new AgentRunner(idle, errors, null, worker));
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    @Override
    public List<AgentRunner> workers()
    {
        return workers;
    }

    @Override
    public VipSetListener vipSet()
    {
        return new VipSetListener()
        {
            @Override
            public void onVips(final List<VipKey> vips)
            {
                PacketDataPath.this.vips = vips;
                attachFilter();
            }

            @Override
            public void onNatReals(final List<VipKey> natReals)
            {
                PacketDataPath.this.natReals = natReals;
                attachFilter();
            }
        };
    }

    @Override
    public void localAddresses(final List<IpAddress> addresses)
    {
        localAddresses = addresses;
        attachFilter();
    }

    private void attachFilter()
    {
        final ClassicBpfProgram filter = ClassicBpfProgram.vipFilter(
            VipAddresses.distinct(vips), VipAddresses.distinct(natReals), VipAddresses.ipv4(localAddresses),
            VipAddresses.distinctIpv6(vips), VipAddresses.distinctIpv6(natReals), VipAddresses.ipv6(localAddresses));
        for (final PacketSocket socket : sockets)
        {
            socket.attachFilter(filter);
        }
    }

    @Override
    public String description()
    {
        return "AF_PACKET";
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
