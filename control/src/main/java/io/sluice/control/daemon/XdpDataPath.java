package io.sluice.control.daemon;

import io.sluice.forwarder.conductor.VipSetListener;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.counters.XdpKernelCounters;
import io.sluice.forwarder.dataplane.PacketProcessor;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.table.ForwardingTablePublisher;
import io.sluice.forwarder.worker.PollIdleStrategy;
import io.sluice.forwarder.worker.XdpWorkerAgent;
import io.sluice.linux.LinuxException;
import io.sluice.linux.bpf.VipRedirectProgram;
import io.sluice.linux.bpf.XdpLink;
import io.sluice.linux.netlink.Link;
import io.sluice.linux.xdp.XdpSocket;
import io.sluice.linux.xdp.XdpSocketOptions;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_ICMP;

/**
 * The AF_XDP data path: the VIP redirect program attached to the interface with a bpf_link
 * (gone with the process, even after kill -9), and per queue one AF_XDP socket with its own
 * UMEM and one worker. The NIC's RSS spreads flows over queues, so each flow stays on one worker
 * and its flow table. Packets that are not for a VIP never leave the kernel.
 */
final class XdpDataPath implements DataPath
{
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<AgentRunner> workers = new ArrayList<>();
    private final VipRedirectProgram program;
    private final Set<VipKey> installed = new HashSet<>();
    private final Set<Integer> icmpAddresses = new HashSet<>();
    private final String description;
    private final XdpKernelCounters kernelCounters;

    /**
     * @throws LinuxException naming what could not be set up (the program, a queue's socket, the
     *                        attachment); everything opened so far is closed again.
     */
    XdpDataPath(final ForwarderOptions options, final Link link, final CountersManager counters,
        final ForwardingTablePublisher tables, final ErrorHandler errors)
    {
        final int queues = options.queues();
        try
        {
            program = VipRedirectProgram.load(queues);
            resources.add(program);
            boolean zeroCopy = true;
            final List<XdpSocket> sockets = new ArrayList<>();
            for (int i = 0; i < queues; i++)
            {
                final XdpSocket socket = XdpSocket.open(link.name(), link.index(), i,
                    XdpSocketOptions.defaults().withBindMode(options.xdpBindMode()));
                resources.add(socket);
                sockets.add(socket);
                zeroCopy &= socket.zeroCopy();
                program.bindQueue(i, socket.fd());
                final FlowTable flows = new FlowTable(options.flowsPerWorker());
                resources.add(flows);
                final WorkerCounters workerCounters = new WorkerCounters(counters, i);
                resources.add(workerCounters);
                final PacketProcessor processor = new PacketProcessor(i, flows, workerCounters);
                processor.localMac(link.mac());
                processor.mtu(link.mtu());
                processor.tunnelSource(options.tunnelSource().address(), options.tunnelSource().length());
                final XdpWorkerAgent worker = new XdpWorkerAgent(
                    i, socket, processor, tables, workerCounters, SystemNanoClock.INSTANCE, options.workerCpus()[i]);
                workers.add(new AgentRunner(
                    new PollIdleStrategy(socket::awaitRx, ForwarderDaemon.WORKER_POLL_TIMEOUT_MS), errors, null, worker));
            }
            kernelCounters = new XdpKernelCounters(counters, program, sockets, SystemEpochClock.INSTANCE);
            resources.add(kernelCounters);
            final XdpLink attached = XdpLink.attachPreferringNative(program.program(), link.index(), link.name(), options.xdpMode());
            resources.add(attached);
            description = "AF_XDP (" + attached.mode().label() + " XDP, " + (zeroCopy ? "zero-copy" : "copy") + ")";
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

    /**
     * Adds new VIPs to the program's map before removing old ones, so no VIP blinks out on a
     * change. Each VIP address also gets an ICMP key (port 0), so pings to it reach a worker,
     * which answers them.
     */
    @Override
    public VipSetListener vipSet()
    {
        return (vips) ->
        {
            final Set<Integer> addresses = new HashSet<>();
            for (final VipKey vip : vips)
            {
                addresses.add(vip.address());
                if (installed.add(vip))
                {
                    program.addIpv4Vip(vip.address(), vip.port(), vip.protocol().ipProtocol());
                }
            }
            for (final int address : addresses)
            {
                if (icmpAddresses.add(address))
                {
                    program.addIpv4Vip(address, 0, IP_PROTOCOL_ICMP);
                }
            }
            final Set<VipKey> wanted = new HashSet<>(vips);
            installed.removeIf((vip) ->
            {
                if (wanted.contains(vip))
                {
                    return false;
                }
                program.removeIpv4Vip(vip.address(), vip.port(), vip.protocol().ipProtocol());
                return true;
            });
            icmpAddresses.removeIf((address) ->
            {
                if (addresses.contains(address))
                {
                    return false;
                }
                program.removeIpv4Vip(address, 0, IP_PROTOCOL_ICMP);
                return true;
            });
        };
    }

    @Override
    public Agent housekeeping()
    {
        return kernelCounters;
    }

    @Override
    public String description()
    {
        return description;
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
