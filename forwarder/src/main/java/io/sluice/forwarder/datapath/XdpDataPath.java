package io.sluice.forwarder.datapath;

import io.sluice.forwarder.Forwarder;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.VipKey;
import io.sluice.forwarder.counters.XdpKernelCounters;
import io.sluice.forwarder.host.HostInterfaces;
import io.sluice.forwarder.worker.XdpWorkerAgent;
import io.sluice.linux.LinuxException;
import io.sluice.linux.bpf.VipRedirectProgram;
import io.sluice.linux.bpf.XdpLink;
import io.sluice.linux.netlink.Link;
import io.sluice.linux.xdp.XdpSocket;
import io.sluice.linux.xdp.XdpSocketOptions;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_ICMP;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_ICMPV6;

/**
 * The AF_XDP data path: the VIP redirect program attached to the interface with a bpf_link
 * (gone with the process, even after kill -9), and per queue one AF_XDP socket with its own
 * UMEM and one worker. The NIC's RSS spreads flows over queues, so each flow stays on one worker
 * and its flow table. Packets that are neither for a VIP nor a NAT real's reply never leave the
 * kernel. With an egress interface the same program (maps of its own, kept in step) runs there
 * too, and each worker has a socket on the same queue of each interface.
 */
final class XdpDataPath extends AbstractDataPath
{
    /** The program on each interface: the first, and the egress one with {@code --egress-iface}. */
    private final List<VipRedirectProgram> programs = new ArrayList<>();
    private final Set<ProgramKey> installed = new HashSet<>();
    private final Set<ProgramKey> natReals = new HashSet<>();
    private final Set<IpAddress> localAddresses = new HashSet<>();
    private final String description;
    private final XdpKernelCounters kernelCounters;
    private final Consumer<String> messages;

    /**
     * @throws LinuxException naming what could not be set up (the program, a queue's socket, the
     *                        attachment); everything opened so far is closed again.
     */
    XdpDataPath(final Forwarder.Context ctx, final HostInterfaces interfaces, final CountersManager counters)
    {
        super(ctx, counters);
        this.messages = ctx.messages();
        final int queues = ctx.queues();
        final Link link = interfaces.link();
        final List<Link> links = interfaces.egressLink() == null ? List.of(link) : List.of(link, interfaces.egressLink());
        try
        {
            for (int l = 0; l < links.size(); l++)
            {
                final VipRedirectProgram program = VipRedirectProgram.load(queues);
                resources.add(program);
                programs.add(program);
                for (final IpAddress address : interfaces.localAddresses())
                {
                    addLocalAddress(program, address);
                    this.localAddresses.add(address);
                }
            }
            boolean zeroCopy = true;
            boolean shared = links.size() > 1;
            final List<XdpSocket> sockets = new ArrayList<>();
            for (int i = 0; i < queues; i++)
            {
                final XdpSocket[] queueSockets = new XdpSocket[links.size()];
                for (int l = 0; l < links.size(); l++)
                {
                    final Link on = links.get(l);
                    queueSockets[l] = l == 0 ?
                        XdpSocket.open(on.name(), on.index(), i, XdpSocketOptions.defaults().withBindMode(ctx.xdpBindMode())) :
                        egressSocket(on, i, queueSockets[0], shared);
                    shared &= l == 0 || queueSockets[l].umemAddress() == queueSockets[0].umemAddress();
                    resources.add(queueSockets[l]);
                    sockets.add(queueSockets[l]);
                    zeroCopy &= queueSockets[l].zeroCopy();
                    programs.get(l).bindQueue(i, queueSockets[l].fd());
                }
                final Link toReals = links.getLast();
                final WorkerFactory.Worker worker = factory.worker(i, link.mac(), toReals.mac(), toReals.mtu());
                final XdpSocket socket = queueSockets[0];
                final XdpSocket egress = links.size() > 1 ? queueSockets[1] : null;
                runners.add(factory.runner(new XdpWorkerAgent(i, socket, egress, shared, worker.processor(), ctx.tables(),
                    worker.counters(), ctx.nanoClock(), worker.cpu()),
                    egress == null ? socket::awaitRx : (timeoutMs) -> socket.awaitRx(egress, timeoutMs)));
            }
            kernelCounters = new XdpKernelCounters(counters, programs, sockets, ctx.epochClock());
            resources.add(kernelCounters);
            String mode = null;
            for (int l = 0; l < links.size(); l++)
            {
                final Link on = links.get(l);
                final XdpLink attached = XdpLink.attachPreferringNative(programs.get(l).program(), on.index(), on.name(),
                    ctx.xdpMode());
                resources.add(attached);
                mode = mode == null ? attached.mode().label() : mode;
            }
            description = "AF_XDP (" + mode + " XDP, " + (zeroCopy ? "zero-copy" : "copy") + ")" +
                (links.size() == 1 ? "" : shared ? ", one UMEM for both interfaces" : ", packets between the interfaces copied");
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * The egress interface's socket for a queue: sharing the first socket's UMEM, so frames move
     * between the interfaces without a copy, unless the kernel refuses (sharing across devices
     * came with Linux 5.10) or an earlier queue's could not; then with a UMEM of its own.
     */
    private XdpSocket egressSocket(final Link link, final int queue, final XdpSocket first, final boolean tryShared)
    {
        if (tryShared)
        {
            try
            {
                return XdpSocket.openSharingUmem(link.name(), link.index(), queue, first);
            }
            catch (final LinuxException ex)
            {
                messages.accept(ex.getMessage() + "; packets between the interfaces will be copied");
            }
        }
        return XdpSocket.open(link.name(), link.index(), queue, first.options());
    }

    /** NAT VIPs' reals' endpoints, kept in the map as VIPs are, so their replies reach a worker. */
    @Override
    void natReals(final List<VipKey> reals)
    {
        reconcile(natReals, withIcmpKeys(reals),
            onPrograms(VipRedirectProgram::addNatReal, VipRedirectProgram::addIpv6NatReal),
            onPrograms(VipRedirectProgram::removeNatReal, VipRedirectProgram::removeIpv6NatReal));
    }

    @Override
    public void localAddresses(final List<IpAddress> addresses)
    {
        reconcile(localAddresses, addresses,
            (address) -> programs.forEach((program) -> addLocalAddress(program, address)),
            (address) -> programs.forEach((program) -> removeLocalAddress(program, address)));
    }

    private static void addLocalAddress(final VipRedirectProgram program, final IpAddress address)
    {
        if (address.isIpv4())
        {
            program.addLocalAddress(address.ipv4());
        }
        else
        {
            program.addIpv6LocalAddress(address.high(), address.low());
        }
    }

    private static void removeLocalAddress(final VipRedirectProgram program, final IpAddress address)
    {
        if (address.isIpv4())
        {
            program.removeLocalAddress(address.ipv4());
        }
        else
        {
            program.removeIpv6LocalAddress(address.high(), address.low());
        }
    }

    /**
     * Adds new VIPs to the program's map before removing old ones, so no VIP blinks out on a
     * change. Each VIP address also gets an ICMP (ICMPv6) key with port 0, so pings to it reach a
     * worker, which answers them. NAT reals' endpoints are kept the same way. IPv4 and IPv6 keys
     * share the map.
     */
    @Override
    void vips(final List<VipKey> vips)
    {
        reconcile(installed, withIcmpKeys(vips),
            onPrograms(VipRedirectProgram::addIpv4Vip, VipRedirectProgram::addIpv6Vip),
            onPrograms(VipRedirectProgram::removeIpv4Vip, VipRedirectProgram::removeIpv6Vip));
    }

    /** One change of every program's map: the IPv4 call or the IPv6 one, as the key's family asks. */
    private Consumer<ProgramKey> onPrograms(final Ipv4KeyCall ipv4, final Ipv6KeyCall ipv6)
    {
        return (key) -> programs.forEach((program) -> key.apply(program, ipv4, ipv6));
    }

    /**
     * The program's keys for these endpoints: each one's own, and an ICMP (ICMPv6) key with port
     * 0 for each distinct address, so pings and ICMP errors to or from it reach a worker.
     */
    private static Set<ProgramKey> withIcmpKeys(final List<VipKey> endpoints)
    {
        final Set<ProgramKey> keys = new HashSet<>();
        for (final VipKey endpoint : endpoints)
        {
            keys.add(new ProgramKey(endpoint.address(), endpoint.port(), endpoint.protocol().ipProtocol()));
            keys.add(new ProgramKey(endpoint.address(), 0, endpoint.isIpv4() ? IP_PROTOCOL_ICMP : IP_PROTOCOL_ICMPV6));
        }
        return keys;
    }

    /** One key of the program's map, of either family: an endpoint, or an address's ICMP key (port 0). */
    private record ProgramKey(IpAddress address, int port, int ipProtocol)
    {
        void apply(final VipRedirectProgram program, final Ipv4KeyCall ipv4, final Ipv6KeyCall ipv6)
        {
            if (address.isIpv4())
            {
                ipv4.apply(program, address.ipv4(), port, ipProtocol);
            }
            else
            {
                ipv6.apply(program, address.high(), address.low(), port, ipProtocol);
            }
        }
    }

    /** A change of a program's map by an IPv4 key, e.g. {@link VipRedirectProgram#addIpv4Vip}. */
    @FunctionalInterface
    private interface Ipv4KeyCall
    {
        void apply(VipRedirectProgram program, int address, int port, int ipProtocol);
    }

    /** A change of a program's map by an IPv6 key, e.g. {@link VipRedirectProgram#addIpv6Vip}. */
    @FunctionalInterface
    private interface Ipv6KeyCall
    {
        void apply(VipRedirectProgram program, long high, long low, int port, int ipProtocol);
    }

    /**
     * Makes {@code installed} (what the program's map holds) {@code wanted}: what is new goes in
     * first, then what is gone comes out, so nothing that stays ever blinks out of the map.
     */
    private static <T> void reconcile(
        final Set<T> installed, final Collection<T> wanted, final Consumer<T> add, final Consumer<T> remove)
    {
        for (final T item : wanted)
        {
            if (installed.add(item))
            {
                add.accept(item);
            }
        }
        final Set<T> keep = new HashSet<>(wanted);
        installed.removeIf((item) ->
        {
            if (keep.contains(item))
            {
                return false;
            }
            remove.accept(item);
            return true;
        });
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
}
