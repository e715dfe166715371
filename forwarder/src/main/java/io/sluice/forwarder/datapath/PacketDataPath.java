package io.sluice.forwarder.datapath;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipAddresses;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.host.HostInterfaces;
import io.sluice.forwarder.worker.PacketWorkerAgent;
import io.sluice.linux.packet.ClassicBpfProgram;
import io.sluice.linux.packet.PacketBatchSender;
import io.sluice.linux.packet.PacketSocket;
import io.sluice.linux.packet.PacketSocketOptions;
import org.agrona.concurrent.status.CountersManager;

import java.util.List;

/**
 * The AF_PACKET data path: one TPACKET_V3 socket per worker, joined in one PACKET_FANOUT group
 * so a flow always reaches the same worker and its flow table, each with a classic BPF filter
 * that passes only VIP addresses and the replies of NAT VIPs' reals. Works on any kernel and
 * any NIC. With an egress interface each worker has a second socket there (a fanout group of
 * its own), by which packets to reals leave and NAT replies arrive.
 */
final class PacketDataPath extends AbstractDataPath
{
    static final int SEND_BATCH = PacketBatchSender.DEFAULT_CAPACITY;

    private final PacketSocket[] sockets;
    private List<IpAddress> localAddresses;
    private List<VipKey> vips = List.of();
    private List<VipKey> natReals = List.of();

    PacketDataPath(final Forwarder.Context ctx, final HostInterfaces interfaces, final CountersManager counters)
    {
        super(ctx, counters);
        this.localAddresses = interfaces.localAddresses();
        final int queues = ctx.queues();
        final int fanoutGroup = queues > 1 ? (int)(ProcessHandle.current().pid() % 0xFFFE) + 1 : 0;
        // A fanout group id is per network namespace, not per interface: the egress sockets need one of their own.
        final int egressFanoutGroup = queues > 1 ? (fanoutGroup % 0xFFFE) + 1 : 0;
        final boolean twoInterfaces = interfaces.egressLink() != null;
        sockets = new PacketSocket[twoInterfaces ? queues * 2 : queues];
        try
        {
            for (int i = 0; i < queues; i++)
            {
                final PacketSocket ingress = open(interfaces.link().name(), fanoutGroup);
                sockets[i] = ingress;
                final PacketBatchSender sender = PacketBatchSender.over(ingress, SEND_BATCH);
                resources.add(sender);
                if (twoInterfaces)
                {
                    final PacketSocket egress = open(interfaces.egressLink().name(), egressFanoutGroup);
                    sockets[queues + i] = egress;
                    final PacketBatchSender egressSender = PacketBatchSender.over(egress, SEND_BATCH);
                    resources.add(egressSender);
                    final WorkerFactory.Worker worker =
                        factory.worker(i, ingress.macAddress(), egress.macAddress(), egress.mtu());
                    runners.add(factory.runner(new PacketWorkerAgent(i, ingress, sender, egress, egressSender,
                        worker.processor(), ctx.tables(), worker.counters(), ctx.nanoClock(), worker.cpu()),
                        (timeoutMs) -> ingress.awaitBlock(egress, timeoutMs)));
                }
                else
                {
                    final WorkerFactory.Worker worker =
                        factory.worker(i, ingress.macAddress(), ingress.macAddress(), ingress.mtu());
                    runners.add(factory.runner(new PacketWorkerAgent(i, ingress, sender, worker.processor(), ctx.tables(),
                        worker.counters(), ctx.nanoClock(), worker.cpu()), ingress::awaitBlock));
                }
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private PacketSocket open(final String iface, final int fanoutGroup)
    {
        final PacketSocket socket = PacketSocket.open(iface, PacketSocketOptions.defaults().withFanoutGroupId(fanoutGroup));
        resources.add(socket);
        return socket;
    }

    @Override
    void vips(final List<VipKey> vips)
    {
        this.vips = vips;
        attachFilter();
    }

    @Override
    void natReals(final List<VipKey> natReals)
    {
        this.natReals = natReals;
        attachFilter();
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
}
