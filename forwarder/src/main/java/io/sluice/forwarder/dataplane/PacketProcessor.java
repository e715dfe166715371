package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.counters.WorkerCounters;
import io.sluice.forwarder.flow.FlowHash;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.EthernetFlyweight;
import io.sluice.forwarder.packet.Ipv4Flyweight;
import io.sluice.forwarder.packet.TcpFlyweight;
import io.sluice.forwarder.packet.UdpFlyweight;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.MutableDirectBuffer;

import java.util.concurrent.TimeUnit;

import static io.sluice.forwarder.packet.PacketConstants.ETHER_TYPE_IPV4;
import static io.sluice.forwarder.packet.PacketConstants.ETHER_TYPE_IPV6;
import static io.sluice.forwarder.packet.PacketConstants.IPV4_MIN_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.IPV4_MIN_IHL;
import static io.sluice.forwarder.packet.PacketConstants.IPV4_VERSION;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_ICMP;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_TCP;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_UDP;
import static io.sluice.forwarder.packet.PacketConstants.TCP_MIN_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.UDP_HEADER_LENGTH;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The per-packet work of one worker: parse the frame in place, find its VIP, find the flow's
 * real (or pick one with the VIP's scheduler and remember it), and rewrite the frame in place
 * for the real, by the VIP's mode:
 * <ul>
 *   <li>DSR: destination MAC the real's, source MAC ours, TTL one less with the header checksum
 *       patched. Addresses and ports are untouched, so the real, which has the VIP on its
 *       loopback, answers the client directly.</li>
 *   <li>tunnel: as DSR, then inside an outer IPv4 header to the real ({@link Ipv4Tunnel}).</li>
 *   <li>NAT: the destination becomes the real's address and port ({@link NatRewrite}); the real
 *       routes its replies back through us, and {@link NatFlows} says how to translate them back
 *       to the VIP and which MAC the client's packets came from.</li>
 * </ul>
 *
 * <p>The forwarder is the client's next hop for the VIP, so it behaves as a router hop (TTL).
 * It does not forward what it cannot hash consistently (fragments: later ones carry no ports)
 * or does not understand (IP options); such packets are dropped and counted, never passed on
 * half-handled.
 *
 * <p>A TCP or UDP frame whose sender left its checksum to the hardware (veth, so containers) is
 * finished before it is rewritten ({@link #finishPartialChecksum}), on every path and for both IP
 * versions: AF_XDP hands such frames over unfinished, and a real would drop them.
 *
 * <p>Owned by one worker thread. Nothing here allocates or throws on any input: flyweights and
 * the flow table are fields, every drop is a counter increment and a return code.
 */
public final class PacketProcessor
{
    /** {@link #process} forwarded the frame: it has been rewritten in place, same offset and length. */
    public static final int FORWARD = 0;
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int UDP_CHECKSUM_OFFSET = 6;
    /** How long a TCP flow is remembered after its last packet; long enough for idle keep-alive connections. */
    public static final long TCP_IDLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(300);
    /** How long a UDP flow is remembered after its last packet; request/response protocols are short. */
    public static final long UDP_IDLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    /** How long a flow of this IP protocol (TCP, else UDP) is remembered after its last packet. */
    static long idleTimeoutNs(final int ipProtocol)
    {
        return ipProtocol == IP_PROTOCOL_TCP ? TCP_IDLE_TIMEOUT_NS : UDP_IDLE_TIMEOUT_NS;
    }

    /** What {@code parse} returns for a frame it parsed; 0 is no drop reason's code. */
    private static final int PARSED = 0;
    private static final int SOURCE_HASH = SchedulerKind.SOURCE_HASH.ordinal();
    private static final int ICMP_DESTINATION_UNREACHABLE = 3;
    private static final int ICMP_TIME_EXCEEDED = 11;
    private static final int ICMP_CHECKSUM_OFFSET = 2;
    private static final int QUOTED_SOURCE = 12;
    private static final int QUOTED_DESTINATION = 16;
    private static final int ROUND_ROBIN = SchedulerKind.ROUND_ROBIN.ordinal();
    /** What {@link #flowHash} returns for a frame that will not reach the flow table (outside the hashes' range). */
    public static final long NO_FLOW = -1L;
    private static final int TRUNCATED = DropReason.TRUNCATED.code();
    private static final int NOT_IP = DropReason.NOT_IP.code();
    private static final int BAD_IPV4_HEADER = DropReason.BAD_IPV4_HEADER.code();
    private static final int IP_OPTIONS = DropReason.IP_OPTIONS.code();
    private static final int FRAGMENT = DropReason.FRAGMENT.code();
    private static final int TTL_EXPIRED = DropReason.TTL_EXPIRED.code();
    private static final int UNSUPPORTED_PROTOCOL = DropReason.UNSUPPORTED_PROTOCOL.code();
    private static final int NOT_A_VIP = DropReason.NOT_A_VIP.code();
    private static final int NO_REAL = DropReason.NO_REAL.code();
    private static final int NO_NEXT_HOP = DropReason.NO_NEXT_HOP.code();
    private static final int ICMP_NO_FLOW = DropReason.ICMP_NO_FLOW.code();
    private static final int TOO_BIG = DropReason.TOO_BIG.code();
    private static final int NAT_NO_FLOW = DropReason.NAT_NO_FLOW.code();
    public static final int DEFAULT_MTU = 1500;
    /** 172.16.0.0/16, Katran's default for outer sources. */
    public static final int DEFAULT_TUNNEL_PREFIX = 0xAC10_0000;

    // Package-private where Ipv6Forwarder, this class's IPv6 half, shares the worker's state.
    final int workerIndex;
    final FlowTable flows;
    final WorkerCounters counters;
    final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    final TcpFlyweight tcp = new TcpFlyweight();
    final UdpFlyweight udp = new UdpFlyweight();
    long localMac;
    long egressMac;
    boolean forwardedToClient;
    /** Whether the frame {@code parse} last parsed is IPv6 (its fields are then {@link #ipv6Forwarder}'s). */
    private boolean parsedIpv6;
    int parsedProtocol;
    int parsedSourcePort;
    int parsedDestinationPort;
    int parsedL4Offset;
    int parsedL4Length;
    /** Keeps {@link #prefetchFlows}'s loads from being optimised away; never read for anything else. */
    private long prefetchSink;
    int forwardedL4Offset;
    int forwardedL4Length;
    int forwardedProtocol;
    int forwardedOffset;
    int forwardedLength;
    /** Whether {@link #finishPartialChecksum} finished the frame {@link #process} last forwarded. */
    boolean transportChecksumFinished;
    private final Ipv4Tunnel tunnel = new Ipv4Tunnel();
    final NatFlows nat;
    private final Ipv6Forwarder ipv6Forwarder;
    /** The TCP flags of the frame {@code parse} last parsed; 0 for UDP and ICMP. */
    int parsedTcpFlags;
    /** The flow-table value {@code realFor} last found or stored (real id, NAT closing flags). */
    long flowValue;
    int mtu = DEFAULT_MTU;
    private int tunnelPrefix = DEFAULT_TUNNEL_PREFIX;
    private int tunnelHostMask = 0xFFFF;

    /**
     * @param workerIndex which slot of the per-worker VIP and real counters this worker writes.
     * @param flows       this worker's own flow table.
     * @param counters    this worker's own counters.
     */
    public PacketProcessor(final int workerIndex, final FlowTable flows, final WorkerCounters counters)
    {
        this(workerIndex, flows, new NatFlows(FlowTable.withPayload(flows.capacity())), counters);
    }

    /**
     * @param nat this worker's NAT reply translations; the caller closes its table once the
     *            worker has stopped.
     */
    public PacketProcessor(final int workerIndex, final FlowTable flows, final NatFlows nat, final WorkerCounters counters)
    {
        this.workerIndex = workerIndex;
        this.flows = flows;
        this.nat = nat;
        this.counters = counters;
        this.ipv6Forwarder = new Ipv6Forwarder(this);
    }

    /** This worker's NAT reply translations. */
    public NatFlows nat()
    {
        return nat;
    }

    /**
     * The MTU of the link to the reals: tunnel mode answers a DF packet that would exceed it once
     * encapsulated.
     */
    public void mtu(final int mtu)
    {
        this.mtu = mtu;
    }

    /**
     * Tunnel mode's outer source addresses: {@code prefix}/{@code length}, the host bits taken
     * from the flow's hash, so each flow keeps one outer source and the receiver's RSS spreads
     * flows over its queues (as Katran does).
     */
    public void tunnelSource(final int prefix, final int length)
    {
        this.tunnelHostMask = length == 0 ? -1 : (int)((1L << (32 - length)) - 1);
        this.tunnelPrefix = prefix & ~tunnelHostMask;
    }

    private int tunnelSource(final int hash)
    {
        return tunnelPrefix | (hash & tunnelHostMask);
    }

    /** Where the frame {@link #process} last forwarded starts now (encapsulation moves it back). */
    public int forwardedOffset()
    {
        return forwardedOffset;
    }

    /** The length of the frame {@link #process} last forwarded (encapsulation adds 20, an ICMP error is shorter). */
    public int forwardedLength()
    {
        return forwardedLength;
    }

    /**
     * Sets our interface's MAC (48 bits, wire order), the source MAC of every frame we send, and
     * of frames to reals too unless an {@link #egressMac} is set after it.
     */
    public void localMac(final long mac)
    {
        this.localMac = mac;
        this.egressMac = mac;
    }

    /**
     * With two interfaces ({@code --egress-iface}): the MAC of the one the reals are reached by,
     * the source MAC of frames to reals. Frames to clients keep {@link #localMac}.
     */
    public void egressMac(final long mac)
    {
        this.egressMac = mac;
    }

    /**
     * Whether the frame {@link #process} last forwarded goes back toward the client (an echo
     * reply, a "fragmentation needed", a NAT reply) rather than to a real: with two interfaces
     * it leaves by the first.
     */
    public boolean forwardedToClient()
    {
        return forwardedToClient;
    }

    public long localMac()
    {
        return localMac;
    }

    /**
     * Parses in place, finds the VIP, the flow or a new real, rewrites for DSR; or answers an ICMP
     * echo request to a VIP address in the same frame.
     *
     * @param buffer  holds the frame (typically the whole RX ring).
     * @param offset  where the frame's Ethernet header starts.
     * @param length  the frame's bytes, without FCS.
     * @param table   the forwarding table the worker read for this batch.
     * @param nowNs   the worker's clock for this batch, for flow expiry.
     * @return {@link #FORWARD} (frame rewritten in place, now at {@link #forwardedOffset()} for
     *         {@link #forwardedLength()} bytes: the same unless tunnel mode encapsulated it or
     *         answered it; the buffer must have 48 bytes of headroom before {@code offset}: IPv6
     *         encapsulation takes 40, a "packet too big" 48) or a
     *         {@link DropReason} code, already counted in the worker's drop counters; a dropped
     *         frame is left as it came.
     */
    public int process(
        final MutableDirectBuffer buffer, final int offset, final int length, final ForwardingTable table, final long nowNs)
    {
        final int parsed = parse(buffer, offset, length);
        if (parsed != PARSED)
        {
            return drop(parsed);
        }
        forwardedOffset = offset;
        forwardedLength = length;
        forwardedToClient = false;
        transportChecksumFinished = false;
        if (parsedIpv6)
        {
            return ipv6Forwarder.forward(buffer, offset, length, table, nowNs);
        }
        if (parsedProtocol == IP_PROTOCOL_ICMP)
        {
            return handleIcmp(buffer, table, nowNs);
        }
        final Ipv4Flyweight ipv4 = this.ipv4;
        final int protocol = parsedProtocol;
        final int sourcePort = parsedSourcePort;
        final int destinationPort = parsedDestinationPort;
        final int l4Offset = parsedL4Offset;
        final int l4Length = parsedL4Length;
        final long idleTimeoutNs = idleTimeoutNs(protocol);

        final int destinationAddress = ipv4.destinationAddress();
        final VipEntry vip = table.find(destinationAddress, destinationPort, protocol);
        if (null == vip)
        {
            if (table.isNatSource(ipv4.sourceAddress(), sourcePort, protocol))
            {
                return translateReply(buffer, nowNs, idleTimeoutNs);
            }
            return drop(NOT_A_VIP);
        }
        if (ipv4.ttl() <= 1)
        {
            return drop(TTL_EXPIRED);
        }

        final long key0 = FlowHash.key0(ipv4.sourceAddress(), destinationAddress);
        final long key1 = FlowHash.key1(sourcePort, destinationPort, protocol);
        final int hash = FlowHash.hash(key0, key1);
        final RealEntry real = realFor(vip, key0, key1, hash, nowNs, idleTimeoutNs);
        if (null == real)
        {
            return drop(NO_REAL);
        }
        if (!real.macResolved())
        {
            return drop(NO_NEXT_HOP);
        }

        final ForwardingMode mode = vip.spec().mode();
        final int ethernetLength = ipv4.offset() - offset;
        if (mode == ForwardingMode.TUNNEL && ipv4.totalLength() + Ipv4Tunnel.OUTER_LENGTH > mtu)
        {
            if (!ipv4.dontFragment())
            {
                return drop(TOO_BIG);
            }
            forwardedLength = tunnel.fragmentationNeeded(buffer, offset, ethernetLength, localMac, mtu - Ipv4Tunnel.OUTER_LENGTH);
            forwardedProtocol = IP_PROTOCOL_ICMP;
            forwardedToClient = true;
            counters.icmpTooBigSent.incrementRelease();
            return FORWARD;
        }
        // The client's packet itself is forwarded from here on (a dropped frame is left as it came): finished before any rewrite.
        finishPartialChecksum(buffer);
        if (mode == ForwardingMode.TUNNEL)
        {
            this.ethernet.destinationMac(real.mac()).sourceMac(egressMac);
            ipv4.decrementTtl();
            forwardedOffset = Ipv4Tunnel.encapsulate(buffer, offset, ethernetLength, tunnelSource(hash), real.ipv4());
            forwardedLength = length + Ipv4Tunnel.OUTER_LENGTH;
        }
        else if (mode == ForwardingMode.NAT)
        {
            translateToReal(buffer, real, destinationAddress, destinationPort, nowNs, idleTimeoutNs);
        }
        else
        {
            this.ethernet.destinationMac(real.mac()).sourceMac(egressMac);
            ipv4.decrementTtl();
        }
        forwardedL4Offset = l4Offset;
        forwardedL4Length = l4Length;
        forwardedProtocol = protocol;

        final int workerIndex = this.workerIndex;
        vip.packetsByWorker()[workerIndex].incrementRelease();
        vip.bytesByWorker()[workerIndex].getAndAddRelease(length);
        real.packetsByWorker()[workerIndex].incrementRelease();
        real.bytesByWorker()[workerIndex].getAndAddRelease(length);
        return FORWARD;
    }

    /**
     * The first pass over a batch: parses a frame just far enough to hash its flow, changing
     * nothing. Frames that do not parse are left for {@link #process} to count.
     *
     * @return the flow's hash (0 to 2^32 - 1) for {@link #prefetchFlows}, or {@link #NO_FLOW}.
     */
    public long flowHash(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (parse(buffer, offset, length) != PARSED || parsedProtocol == IP_PROTOCOL_ICMP)
        {
            return NO_FLOW;
        }
        if (parsedIpv6)
        {
            return ipv6Forwarder.flowHash();
        }
        final long key0 = FlowHash.key0(ipv4.sourceAddress(), ipv4.destinationAddress());
        final long key1 = FlowHash.key1(parsedSourcePort, parsedDestinationPort, parsedProtocol);
        return FlowHash.hash(key0, key1) & 0xFFFF_FFFFL;
    }

    /**
     * The second pass over a batch: touches the flow-table bucket of every hash the first pass
     * returned, changing nothing, before {@link #process} runs on each frame. The table is far
     * larger than the caches once it holds many flows; a loop this small (a few instructions per
     * load) lets the CPU keep most of the batch's misses in flight at once, where loads spread
     * through the parsing would each wait behind the one before.
     */
    public void prefetchFlows(final long[] hashes, final int count)
    {
        final FlowTable flows = this.flows;
        long sink = 0;
        for (int i = 0; i < count; i++)
        {
            final long hash = hashes[i];
            if (hash != NO_FLOW)
            {
                sink += flows.touch((int)hash);
            }
        }
        prefetchSink += sink;
    }

    /**
     * Parses Ethernet, IPv4 and the TCP or UDP ports in place, checking every length first.
     *
     * @return {@link #PARSED}, with the flyweights wrapped and the parsed fields set, or the
     *         {@link DropReason} code (not yet counted) of why the frame cannot be forwarded.
     */
    private int parse(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final EthernetFlyweight ethernet = this.ethernet;
        ethernet.wrap(buffer, offset, length);
        final int ethernetHeaderLength = ethernet.headerLength();
        if (ethernetHeaderLength < 0)
        {
            return TRUNCATED;
        }
        final int etherType = ethernet.etherType();
        final int ipOffset = offset + ethernetHeaderLength;
        final int ipAvailable = length - ethernetHeaderLength;
        if (etherType != ETHER_TYPE_IPV4)
        {
            parsedIpv6 = etherType == ETHER_TYPE_IPV6;
            return parsedIpv6 ? ipv6Forwarder.parse(buffer, ipOffset, ipAvailable) : NOT_IP;
        }
        parsedIpv6 = false;

        if (ipAvailable < IPV4_MIN_HEADER_LENGTH)
        {
            return TRUNCATED;
        }
        final Ipv4Flyweight ipv4 = this.ipv4;
        ipv4.wrap(buffer, ipOffset, ipAvailable);
        final int ihl = ipv4.ihl();
        final int ipHeaderLength = ihl << 2;
        final int totalLength = ipv4.totalLength();
        if (ipv4.version() != IPV4_VERSION || ihl < IPV4_MIN_IHL || totalLength < ipHeaderLength || totalLength > ipAvailable)
        {
            return BAD_IPV4_HEADER;
        }
        if (ihl > IPV4_MIN_IHL)
        {
            return IP_OPTIONS;
        }
        if (ipv4.isFragment())
        {
            return FRAGMENT;
        }

        final int protocol = ipv4.protocol();
        final int l4Offset = ipOffset + ipHeaderLength;
        final int l4Length = totalLength - ipHeaderLength;
        if (protocol == IP_PROTOCOL_TCP)
        {
            if (l4Length < TCP_MIN_HEADER_LENGTH)
            {
                return TRUNCATED;
            }
            tcp.wrap(buffer, l4Offset, l4Length);
            parsedSourcePort = tcp.sourcePort();
            parsedDestinationPort = tcp.destinationPort();
            parsedTcpFlags = tcp.flags();
        }
        else if (protocol == IP_PROTOCOL_UDP)
        {
            if (l4Length < UDP_HEADER_LENGTH)
            {
                return TRUNCATED;
            }
            udp.wrap(buffer, l4Offset, l4Length);
            parsedSourcePort = udp.sourcePort();
            parsedDestinationPort = udp.destinationPort();
            parsedTcpFlags = 0;
        }
        else if (protocol == IP_PROTOCOL_ICMP)
        {
            if (l4Length < IcmpEchoResponder.ICMP_HEADER_LENGTH)
            {
                return TRUNCATED;
            }
            parsedSourcePort = 0;
            parsedDestinationPort = 0;
            parsedTcpFlags = 0;
        }
        else
        {
            return UNSUPPORTED_PROTOCOL;
        }
        parsedProtocol = protocol;
        parsedL4Offset = l4Offset;
        parsedL4Length = l4Length;
        return PARSED;
    }

    /**
     * The flow's remembered real if it is still one of the VIP's reals, else the scheduler's
     * choice, which is then remembered: Maglev over the 5-tuple's hash, Maglev over the client
     * address's hash (source-hash), or the worker's next turn (round-robin). A flow whose real
     * left the VIP or is down picks again, so it lands on a live real; flows on live reals never
     * move; a real that joined takes only new flows. A SYN on a NAT flow that has closed starts
     * a new flow. Leaves the flow's entry in {@link #flowValue}.
     *
     * @return the real, or null when the VIP has none.
     */
    RealEntry realFor(
        final VipEntry vip, final long key0, final long key1, final int hash, final long nowNs, final long idleTimeoutNs)
    {
        final RealEntry[] reals = vip.reals();
        final long remembered = flows.lookup(key0, key1, hash, nowNs, idleTimeoutNs);
        if (remembered != FlowTable.MISSING &&
            ((remembered & TcpClosing.FLAGS) == 0 || !TcpClosing.opens(parsedTcpFlags)))
        {
            final int index = vip.realIndexOf((int)remembered);
            if (index >= 0 && reals[index].healthy())
            {
                flowValue = remembered;
                return reals[index];
            }
        }

        final int index;
        if (vip.scheduler() == ROUND_ROBIN)
        {
            index = vip.roundRobin().next(workerIndex);
        }
        else
        {
            final int[] maglev = vip.maglev();
            if (maglev.length == 0)
            {
                return null;
            }
            final int key = vip.scheduler() != SOURCE_HASH ? hash :
                parsedIpv6 ? ipv6Forwarder.clientHash() : FlowHash.sourceHash((int)(key0 >>> 32));
            index = maglev[Integer.remainderUnsigned(key, maglev.length)];
        }
        if (index < 0)
        {
            return null;
        }
        final RealEntry real = reals[index];
        flowValue = real.id() & 0xFFFF_FFFFL;
        if (flows.insert(key0, key1, hash, flowValue, nowNs, idleTimeoutNs))
        {
            counters.flowsEvicted.incrementRelease();
        }
        counters.flowsCreated.incrementRelease();
        return real;
    }

    /**
     * NAT, client to real: the destination becomes the real's address and port, and the replies'
     * translation back is remembered with the MAC the client's packet came from. A FIN or RST
     * marks both directions closing, which shortens how long they are remembered.
     */
    private void translateToReal(
        final MutableDirectBuffer buffer, final RealEntry real, final int vipAddress, final int vipPort,
        final long nowNs, final long idleTimeoutNs)
    {
        final Ipv4Flyweight ipv4 = this.ipv4;
        final long closing = (flowValue & TcpClosing.FLAGS) | TcpClosing.of(parsedTcpFlags);
        final long timeoutNs = TcpClosing.timeoutNs(closing, idleTimeoutNs);
        if (closing != 0)
        {
            flows.renew((flowValue & ~TcpClosing.FLAGS) | closing, nowNs, timeoutNs);
        }
        final int client = ipv4.sourceAddress();
        final long clientMac = ethernet.sourceMac();
        ethernet.destinationMac(real.mac()).sourceMac(egressMac);
        NatRewrite.destination(buffer, ipv4, parsedL4Offset, parsedProtocol, real.ipv4(), real.port());
        ipv4.decrementTtl();
        nat.remember(real.ipv4(), real.port(), client, parsedSourcePort, parsedProtocol,
            NatFlows.value(vipAddress, vipPort, closing), clientMac, nowNs, timeoutNs);
    }

    /**
     * NAT, real to client: a packet from a NAT real's address and port is a reply if some worker
     * translated the flow; its source becomes the VIP's address and port again and it goes to
     * the MAC the client's packets came from.
     */
    private int translateReply(final MutableDirectBuffer buffer, final long nowNs, final long idleTimeoutNs)
    {
        final Ipv4Flyweight ipv4 = this.ipv4;
        final NatFlows nat = this.nat;
        long value = nat.find(ipv4.sourceAddress(), parsedSourcePort, ipv4.destinationAddress(), parsedDestinationPort,
            parsedProtocol, nowNs, idleTimeoutNs);
        if (value == FlowTable.MISSING)
        {
            return drop(NAT_NO_FLOW);
        }
        if (ipv4.ttl() <= 1)
        {
            return drop(TTL_EXPIRED);
        }
        finishPartialChecksum(buffer);
        final long closing = TcpClosing.of(parsedTcpFlags);
        if (closing != 0)
        {
            value |= closing;
            nat.renew(value, nowNs, TcpClosing.timeoutNs(value & TcpClosing.FLAGS, idleTimeoutNs));
        }
        ethernet.destinationMac(nat.clientMac()).sourceMac(localMac);
        NatRewrite.source(buffer, ipv4, parsedL4Offset, parsedProtocol, NatFlows.vipAddress(value), NatFlows.vipPort(value));
        ipv4.decrementTtl();
        forwardedL4Offset = parsedL4Offset;
        forwardedL4Length = parsedL4Length;
        forwardedProtocol = parsedProtocol;
        forwardedToClient = true;
        counters.natReplies.incrementRelease();
        return FORWARD;
    }

    /**
     * Finishes the TCP or UDP checksum of the frame just parsed when its sender left it to "the
     * hardware" (CHECKSUM_PARTIAL, as a veth sender does: containers are wired so). Such a field
     * holds only the folded pseudo-header sum; AF_XDP hands the frame over as it is, with no
     * flag, and a receiver drops it unfinished. So the field is compared with that sum, which
     * costs a few additions, and where it matches the checksum is computed whole: that is the
     * right value whether or not the frame was really partial. Called before any rewrite (NAT
     * then updates the finished checksum incrementally) on every path that forwards TCP or UDP,
     * for both IP versions; the parsed fields must be the frame's.
     */
    void finishPartialChecksum(final MutableDirectBuffer buffer)
    {
        final int protocol = parsedProtocol;
        final int l4Offset = parsedL4Offset;
        final int l4Length = parsedL4Length;
        final long pseudoHeader = pseudoHeaderSum(l4Length, protocol);
        final int field = buffer.getShort(transportChecksumOffset(l4Offset, protocol), BIG_ENDIAN) & 0xFFFF;
        if (field == Checksums.fold(pseudoHeader))
        {
            writeTransportChecksum(buffer, l4Offset, l4Length, protocol, pseudoHeader);
            transportChecksumFinished = true;
            counters.partialChecksumsFinished.incrementRelease();
        }
    }

    /**
     * Completes the TCP or UDP checksum of the frame {@link #process} just forwarded, for a frame
     * whose sender offloaded it (the ring marks it TP_STATUS_CSUMNOTREADY: locally generated or
     * veth traffic that never crossed a NIC). Such a checksum field holds only a partial sum, so
     * the checksum is computed whole, over the pseudo-header of the addresses the frame now
     * carries (NAT changed them) and the segment; unless {@code process} recognised the partial
     * sum and finished it already. Valid only right after {@code process} returned FORWARD.
     */
    public void completeTransportChecksum(final MutableDirectBuffer buffer)
    {
        if (forwardedProtocol != IP_PROTOCOL_TCP && forwardedProtocol != IP_PROTOCOL_UDP)
        {
            return; // an ICMP message's checksum is complete; ICMP is never offloaded
        }
        if (transportChecksumFinished)
        {
            return;
        }
        writeTransportChecksum(buffer, forwardedL4Offset, forwardedL4Length, forwardedProtocol,
            pseudoHeaderSum(forwardedL4Length, forwardedProtocol));
    }

    /** The TCP/UDP pseudo-header sum (not folded) over the addresses the frame carries now. */
    private long pseudoHeaderSum(final int l4Length, final int protocol)
    {
        if (parsedIpv6)
        {
            return ipv6Forwarder.pseudoHeaderSum(l4Length, protocol);
        }
        final int source = ipv4.sourceAddress();
        final int destination = ipv4.destinationAddress();
        return (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF) + protocol + l4Length;
    }

    private static int transportChecksumOffset(final int l4Offset, final int protocol)
    {
        return l4Offset + (protocol == IP_PROTOCOL_TCP ? TCP_CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET);
    }

    /** Computes the segment's TCP or UDP checksum whole, as if its field were zero, and writes it. */
    private static void writeTransportChecksum(
        final MutableDirectBuffer buffer, final int l4Offset, final int l4Length, final int protocol, final long pseudoHeader)
    {
        final int checksumOffset = transportChecksumOffset(l4Offset, protocol);
        buffer.putShort(checksumOffset, (short)0);
        int checksum = Checksums.finish(Checksums.sum(buffer, l4Offset, l4Length, pseudoHeader));
        if (checksum == 0 && protocol == IP_PROTOCOL_UDP)
        {
            checksum = 0xFFFF; // RFC 768: a computed zero is sent as all ones; zero means "no checksum"
        }
        buffer.putShort(checksumOffset, (short)checksum, BIG_ENDIAN);
    }

    /**
     * ICMP to a VIP address: an echo request is answered from the same frame; an error
     * (unreachable, fragmentation needed, time exceeded) about a VIP's flow goes on to the real
     * that flow is on, whose kernel owns the connection (path MTU discovery needs it there);
     * anything else is dropped and counted.
     */
    private int handleIcmp(final MutableDirectBuffer buffer, final ForwardingTable table, final long nowNs)
    {
        final int type = buffer.getByte(parsedL4Offset) & 0xFF;
        if (!table.hasAddress(ipv4.destinationAddress()))
        {
            if ((type == ICMP_DESTINATION_UNREACHABLE || type == ICMP_TIME_EXCEEDED) &&
                table.isNatSource(ipv4.sourceAddress(), 0, IP_PROTOCOL_ICMP))
            {
                return translateIcmpErrorFromReal(buffer, nowNs);
            }
            return drop(NOT_A_VIP);
        }
        if (type == ICMP_DESTINATION_UNREACHABLE || type == ICMP_TIME_EXCEEDED)
        {
            return relayIcmpError(buffer, table, nowNs);
        }
        final int refused = IcmpEchoResponder.answer(ethernet, ipv4, localMac, buffer, parsedL4Offset, parsedL4Length);
        if (refused != 0)
        {
            return drop(refused);
        }
        forwardedProtocol = IP_PROTOCOL_ICMP;
        forwardedToClient = true;
        counters.icmpEchoReplies.incrementRelease();
        return FORWARD;
    }

    /**
     * Finds the flow an ICMP error quotes (the VIP's packet to the client: source the VIP,
     * destination the client) and sends the error to its real, rewritten as the flow's packets
     * are. The flow is looked up in this worker's table and, when another worker saw it, placed
     * by the VIP's hash scheduler as it was placed then; round-robin flows are only found in the
     * table.
     */
    private int relayIcmpError(final MutableDirectBuffer buffer, final ForwardingTable table, final long nowNs)
    {
        final int quoted = parsedL4Offset + IcmpEchoResponder.ICMP_HEADER_LENGTH;
        final int quotedHeaderLength = quotedHeaderLength(buffer);
        if (quotedHeaderLength < 0)
        {
            return drop(ICMP_NO_FLOW);
        }
        final int quotedProtocol = buffer.getByte(quoted + 9) & 0xFF;
        final int vipAddress = buffer.getInt(quoted + 12, BIG_ENDIAN);
        final int client = buffer.getInt(quoted + 16, BIG_ENDIAN);
        final int vipPort = buffer.getShort(quoted + quotedHeaderLength, BIG_ENDIAN) & 0xFFFF;
        final int clientPort = buffer.getShort(quoted + quotedHeaderLength + 2, BIG_ENDIAN) & 0xFFFF;
        final VipEntry vip = table.find(vipAddress, vipPort, quotedProtocol);
        if (null == vip)
        {
            return drop(ICMP_NO_FLOW);
        }
        final long key0 = FlowHash.key0(client, vipAddress);
        final long key1 = FlowHash.key1(clientPort, vipPort, quotedProtocol);
        final int hash = FlowHash.hash(key0, key1);
        final RealEntry[] reals = vip.reals();
        final long timeoutNs = idleTimeoutNs(quotedProtocol);
        final long remembered = flows.lookup(key0, key1, hash, nowNs, timeoutNs);
        int index = remembered == FlowTable.MISSING ? -1 : vip.realIndexOf((int)remembered);
        if (index < 0 && vip.scheduler() != ROUND_ROBIN && vip.maglev().length > 0)
        {
            final int key = vip.scheduler() == SOURCE_HASH ? FlowHash.sourceHash(client) : hash;
            index = vip.maglev()[Integer.remainderUnsigned(key, vip.maglev().length)];
        }
        if (index < 0 || !reals[index].healthy())
        {
            return drop(ICMP_NO_FLOW);
        }
        final RealEntry real = reals[index];
        if (!real.macResolved())
        {
            return drop(NO_NEXT_HOP);
        }
        if (ipv4.ttl() <= 1)
        {
            return drop(TTL_EXPIRED);
        }
        ethernet.destinationMac(real.mac()).sourceMac(egressMac);
        if (vip.spec().mode() == ForwardingMode.NAT)
        {
            translateQuotedToReal(buffer, quoted, quotedHeaderLength, real);
        }
        ipv4.decrementTtl();
        forwardedProtocol = IP_PROTOCOL_ICMP;
        counters.icmpErrorsRelayed.incrementRelease();
        return FORWARD;
    }

    /**
     * The IPv4 header length of the packet an ICMP error quotes, when the quote holds a whole
     * IPv4 header of TCP or UDP and the 4 bytes of ports after it; else -1.
     */
    private int quotedHeaderLength(final MutableDirectBuffer buffer)
    {
        final int quoted = parsedL4Offset + IcmpEchoResponder.ICMP_HEADER_LENGTH;
        final int quotedAvailable = parsedL4Length - IcmpEchoResponder.ICMP_HEADER_LENGTH;
        if (quotedAvailable < IPV4_MIN_HEADER_LENGTH + 4)
        {
            return -1;
        }
        final int versionIhl = buffer.getByte(quoted) & 0xFF;
        final int headerLength = (versionIhl & 0x0F) << 2;
        final int protocol = buffer.getByte(quoted + 9) & 0xFF;
        if ((versionIhl >>> 4) != IPV4_VERSION || headerLength < IPV4_MIN_HEADER_LENGTH ||
            quotedAvailable < headerLength + 4 || (protocol != IP_PROTOCOL_TCP && protocol != IP_PROTOCOL_UDP))
        {
            return -1;
        }
        return headerLength;
    }

    /**
     * NAT: an ICMP error a real sends a client (port unreachable, say) quotes the client's packet
     * as the real got it, to the real's address and port. The client knows only the VIP, so the
     * error leaves from the VIP and the quote is translated back to it, as the replies are; it
     * goes to the MAC the client's packets came from. An error about no translated flow is
     * counted as icmp-no-flow.
     */
    private int translateIcmpErrorFromReal(final MutableDirectBuffer buffer, final long nowNs)
    {
        final int quotedHeaderLength = quotedHeaderLength(buffer);
        if (quotedHeaderLength < 0)
        {
            return drop(ICMP_NO_FLOW);
        }
        final int quoted = parsedL4Offset + IcmpEchoResponder.ICMP_HEADER_LENGTH;
        final int protocol = buffer.getByte(quoted + 9) & 0xFF;
        final int client = buffer.getInt(quoted + 12, BIG_ENDIAN);
        final int realAddress = buffer.getInt(quoted + 16, BIG_ENDIAN);
        final int clientPort = buffer.getShort(quoted + quotedHeaderLength, BIG_ENDIAN) & 0xFFFF;
        final int realPort = buffer.getShort(quoted + quotedHeaderLength + 2, BIG_ENDIAN) & 0xFFFF;
        final long timeoutNs = idleTimeoutNs(protocol);
        final long value = nat.find(realAddress, realPort, client, clientPort, protocol, nowNs, timeoutNs);
        if (value == FlowTable.MISSING || client != ipv4.destinationAddress())
        {
            return drop(ICMP_NO_FLOW);
        }
        if (ipv4.ttl() <= 1)
        {
            return drop(TTL_EXPIRED);
        }
        final int vipAddress = NatFlows.vipAddress(value);
        rewriteQuoted(buffer, quoted, QUOTED_DESTINATION, vipAddress, quotedHeaderLength + 2, NatFlows.vipPort(value));
        ipv4.sourceAddress(vipAddress);
        recomputeIcmpChecksum(buffer);
        ethernet.destinationMac(nat.clientMac()).sourceMac(localMac);
        ipv4.decrementTtl();
        forwardedProtocol = IP_PROTOCOL_ICMP;
        forwardedToClient = true;
        counters.icmpErrorsRelayed.incrementRelease();
        return FORWARD;
    }

    /** The ICMP checksum, over the whole message, after the quote inside it changed. */
    private void recomputeIcmpChecksum(final MutableDirectBuffer buffer)
    {
        final int icmp = parsedL4Offset;
        buffer.putShort(icmp + ICMP_CHECKSUM_OFFSET, (short)0);
        buffer.putShort(icmp + ICMP_CHECKSUM_OFFSET,
            (short)Checksums.finish(Checksums.sum(buffer, icmp, parsedL4Length, 0)), BIG_ENDIAN);
    }

    /**
     * NAT: the error quotes the packet as the client saw it, from the VIP; the real sent it from
     * its own address and port, and its kernel matches the error to the connection by those. So
     * the error goes to the real's address and the quote is translated back (its header
     * checksum patched; the ICMP checksum, which covers the quote, computed again).
     */
    private void translateQuotedToReal(
        final MutableDirectBuffer buffer, final int quoted, final int quotedHeaderLength, final RealEntry real)
    {
        rewriteQuoted(buffer, quoted, QUOTED_SOURCE, real.ipv4(), quotedHeaderLength, real.port());
        ipv4.destinationAddress(real.ipv4());
        recomputeIcmpChecksum(buffer);
    }

    /**
     * Rewrites one address of the IPv4 header an ICMP error quotes (patching that header's
     * checksum) and the matching port after it; the ICMP checksum is the caller's to recompute.
     *
     * @param addressAt {@link #QUOTED_SOURCE} or {@link #QUOTED_DESTINATION}.
     * @param portAt    the port's offset from the quoted header.
     */
    private static void rewriteQuoted(
        final MutableDirectBuffer buffer, final int quoted, final int addressAt, final int address, final int portAt,
        final int port)
    {
        final int old = buffer.getInt(quoted + addressAt, BIG_ENDIAN);
        buffer.putInt(quoted + addressAt, address, BIG_ENDIAN);
        final int checksum = buffer.getShort(quoted + Checksums.IPV4_CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(quoted + Checksums.IPV4_CHECKSUM_OFFSET, (short)Checksums.update32(checksum, old, address), BIG_ENDIAN);
        buffer.putShort(quoted + portAt, (short)port, BIG_ENDIAN);
    }

    int drop(final int code)
    {
        counters.drop(code);
        return code;
    }
}
