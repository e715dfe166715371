package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.config.ForwardingMode;
import io.sluice.forwarder.config.IpAddress;
import io.sluice.forwarder.config.SchedulerKind;
import io.sluice.forwarder.flow.FlowHash;
import io.sluice.forwarder.flow.FlowTable;
import io.sluice.forwarder.packet.Checksums;
import io.sluice.forwarder.packet.Ipv6Flyweight;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.RealEntry;
import io.sluice.forwarder.table.VipEntry;
import org.agrona.MutableDirectBuffer;

import static io.sluice.forwarder.packet.PacketConstants.IPV6_DESTINATION_OPTIONS;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_FRAGMENT;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_HOP_BY_HOP;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_ROUTING;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_VERSION;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_ICMPV6;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_TCP;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_UDP;
import static io.sluice.forwarder.packet.PacketConstants.TCP_MIN_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.UDP_HEADER_LENGTH;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The IPv6 half of {@link PacketProcessor}: the same work, by the same rules, for frames of
 * EtherType 0x86DD. It shares the processor's worker state (flow table, NAT translations,
 * counters, the parsed and forwarded fields) and its scheduling ({@link PacketProcessor#realFor}).
 * What differs from IPv4:
 * <ul>
 *   <li>the addresses are 128 bits, folded into the flow key ({@link FlowHash#key0Ipv6});</li>
 *   <li>no header checksum; the hop limit is decremented as the TTL is;</li>
 *   <li>extension headers are not forwarded (dropped and counted as IP options, or as a
 *       fragment for the fragment header), as IPv4 options are not;</li>
 *   <li>tunnel mode is IPv6-in-IPv6, the outer flow label from the flow's hash, and a packet
 *       that would not fit once encapsulated is always answered "packet too big";</li>
 *   <li>a NAT flow remembers its VIP by id, the address being too long for the flow's value;</li>
 *   <li>ICMPv6: echo requests to a VIP answered, errors about a VIP's flow relayed to its real,
 *       a NAT real's errors to clients translated back; neighbour discovery is the kernel's.</li>
 * </ul>
 * Owned by the processor's worker thread; nothing here allocates.
 */
final class Ipv6Forwarder
{
    private static final int PARSED = 0;
    private static final int ICMPV6_HEADER_LENGTH = 8;
    private static final int ICMPV6_DESTINATION_UNREACHABLE = 1;
    private static final int ICMPV6_PACKET_TOO_BIG = 2;
    private static final int ICMPV6_TIME_EXCEEDED = 3;
    private static final int SOURCE_HASH = SchedulerKind.SOURCE_HASH.ordinal();
    private static final int ROUND_ROBIN = SchedulerKind.ROUND_ROBIN.ordinal();
    private static final int TRUNCATED = DropReason.TRUNCATED.code();
    private static final int BAD_IPV6_HEADER = DropReason.BAD_IPV6_HEADER.code();
    private static final int IP_OPTIONS = DropReason.IP_OPTIONS.code();
    private static final int FRAGMENT = DropReason.FRAGMENT.code();
    private static final int UNSUPPORTED_PROTOCOL = DropReason.UNSUPPORTED_PROTOCOL.code();
    private static final int TTL_EXPIRED = DropReason.TTL_EXPIRED.code();
    private static final int NOT_A_VIP = DropReason.NOT_A_VIP.code();
    private static final int NO_REAL = DropReason.NO_REAL.code();
    private static final int NO_NEXT_HOP = DropReason.NO_NEXT_HOP.code();
    private static final int ICMP_NO_FLOW = DropReason.ICMP_NO_FLOW.code();
    private static final int NAT_NO_FLOW = DropReason.NAT_NO_FLOW.code();
    /** 100::/64, the discard-only prefix (RFC 6666): tunnel mode's outer sources, the flow's hash in the low 32 bits. */
    static final long DEFAULT_TUNNEL_SOURCE_HIGH = 0x0100_0000_0000_0000L;

    private final PacketProcessor processor;
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    /** The IPv6 header an ICMPv6 error quotes, once {@link #quoted} found one. */
    private final Ipv6Flyweight quote = new Ipv6Flyweight();
    private final Ipv6Tunnel tunnel = new Ipv6Tunnel();
    private long tunnelSourceHigh = DEFAULT_TUNNEL_SOURCE_HIGH;

    Ipv6Forwarder(final PacketProcessor processor)
    {
        this.processor = processor;
    }

    /**
     * Parses the IPv6 header and the TCP or UDP ports (or the ICMPv6 header) into the
     * processor's parsed fields, checking every length first.
     *
     * @return 0 (parsed) or the {@link DropReason} code, not yet counted.
     */
    int parse(final MutableDirectBuffer buffer, final int ipOffset, final int ipAvailable)
    {
        if (ipAvailable < IPV6_HEADER_LENGTH)
        {
            return TRUNCATED;
        }
        final Ipv6Flyweight ipv6 = this.ipv6.wrap(buffer, ipOffset, ipAvailable);
        final int l4Length = ipv6.payloadLength();
        if (ipv6.version() != IPV6_VERSION || l4Length > ipAvailable - IPV6_HEADER_LENGTH)
        {
            return BAD_IPV6_HEADER;
        }
        final PacketProcessor p = processor;
        final int l4Offset = ipOffset + IPV6_HEADER_LENGTH;
        final int protocol = ipv6.nextHeader();
        if (protocol == IP_PROTOCOL_TCP)
        {
            if (l4Length < TCP_MIN_HEADER_LENGTH)
            {
                return TRUNCATED;
            }
            p.tcp.wrap(buffer, l4Offset, l4Length);
            p.parsedSourcePort = p.tcp.sourcePort();
            p.parsedDestinationPort = p.tcp.destinationPort();
            p.parsedTcpFlags = p.tcp.flags();
        }
        else if (protocol == IP_PROTOCOL_UDP)
        {
            if (l4Length < UDP_HEADER_LENGTH)
            {
                return TRUNCATED;
            }
            p.udp.wrap(buffer, l4Offset, l4Length);
            p.parsedSourcePort = p.udp.sourcePort();
            p.parsedDestinationPort = p.udp.destinationPort();
            p.parsedTcpFlags = 0;
        }
        else if (protocol == IP_PROTOCOL_ICMPV6)
        {
            if (l4Length < ICMPV6_HEADER_LENGTH)
            {
                return TRUNCATED;
            }
            p.parsedSourcePort = 0;
            p.parsedDestinationPort = 0;
            p.parsedTcpFlags = 0;
        }
        else if (protocol == IPV6_FRAGMENT)
        {
            return FRAGMENT;
        }
        else if (protocol == IPV6_HOP_BY_HOP || protocol == IPV6_ROUTING || protocol == IPV6_DESTINATION_OPTIONS)
        {
            return IP_OPTIONS;
        }
        else
        {
            return UNSUPPORTED_PROTOCOL;
        }
        p.parsedProtocol = protocol;
        p.parsedL4Offset = l4Offset;
        p.parsedL4Length = l4Length;
        return PARSED;
    }

    /** {@link PacketProcessor#flowHash} of the IPv6 frame just parsed (TCP or UDP). */
    long flowHash()
    {
        final long key0 = key0();
        final long key1 = key1();
        return FlowHash.hash(key0, key1) & 0xFFFF_FFFFL;
    }

    /** The source-hash scheduler's key: the client address's hash. */
    int clientHash()
    {
        return FlowHash.sourceHash6(ipv6.sourceHigh(), ipv6.sourceLow());
    }

    /** The pseudo-header sum of the frame just parsed or forwarded, over the addresses it carries now. */
    long pseudoHeaderSum(final int l4Length, final int protocol)
    {
        return ipv6.pseudoHeaderSum(l4Length, protocol);
    }

    private long key0()
    {
        return FlowHash.key0Ipv6(ipv6.sourceHigh(), ipv6.sourceLow(), ipv6.destinationHigh(), ipv6.destinationLow());
    }

    private long key1()
    {
        return FlowHash.key1(processor.parsedSourcePort, processor.parsedDestinationPort, processor.parsedProtocol) | FlowHash.IPV6;
    }

    /** {@link PacketProcessor#process} of the IPv6 frame just parsed; the forwarded fields are preset. */
    int forward(
        final MutableDirectBuffer buffer, final int offset, final int length, final ForwardingTable table, final long nowNs)
    {
        final PacketProcessor p = processor;
        final Ipv6Flyweight ipv6 = this.ipv6;
        final int protocol = p.parsedProtocol;
        if (protocol == IP_PROTOCOL_ICMPV6)
        {
            return handleIcmp(buffer, table, nowNs);
        }
        final long idleTimeoutNs = PacketProcessor.idleTimeoutNs(protocol);
        final VipEntry vip = table.find6(ipv6.destinationHigh(), ipv6.destinationLow(), p.parsedDestinationPort, protocol);
        if (null == vip)
        {
            if (table.isNatSource6(ipv6.sourceHigh(), ipv6.sourceLow(), p.parsedSourcePort, protocol))
            {
                return translateReply(buffer, table, nowNs, idleTimeoutNs);
            }
            return p.drop(NOT_A_VIP);
        }
        if (ipv6.hopLimit() <= 1)
        {
            return p.drop(TTL_EXPIRED);
        }

        final long key0 = key0();
        final long key1 = key1();
        final int hash = FlowHash.hash(key0, key1);
        final RealEntry real = p.realFor(vip, key0, key1, hash, nowNs, idleTimeoutNs);
        if (null == real)
        {
            return p.drop(NO_REAL);
        }
        if (!real.macResolved())
        {
            return p.drop(NO_NEXT_HOP);
        }

        final ForwardingMode mode = vip.spec().mode();
        final int ethernetLength = ipv6.offset() - offset;
        final int ipLength = IPV6_HEADER_LENGTH + ipv6.payloadLength();
        if (mode == ForwardingMode.TUNNEL && ipLength + Ipv6Tunnel.OUTER_LENGTH > p.mtu)
        {
            p.forwardedOffset = tunnel.packetTooBig(buffer, offset, ethernetLength, ipLength, p.localMac,
                p.mtu - Ipv6Tunnel.OUTER_LENGTH);
            p.forwardedLength = tunnel.replyLength();
            p.forwardedProtocol = IP_PROTOCOL_ICMPV6;
            p.forwardedToClient = true;
            p.counters.icmpTooBigSent.incrementRelease();
            return PacketProcessor.FORWARD;
        }
        // As IPv4's: the client's packet itself is forwarded from here on, so it is finished before any rewrite.
        p.finishPartialChecksum(buffer);
        if (mode == ForwardingMode.TUNNEL)
        {
            p.ethernet.destinationMac(real.mac()).sourceMac(p.egressMac);
            ipv6.decrementHopLimit();
            final IpAddress address = real.address();
            p.forwardedOffset = Ipv6Tunnel.encapsulate(buffer, offset, ethernetLength,
                tunnelSourceHigh, hash & 0xFFFF_FFFFL, address.high(), address.low(), hash);
            p.forwardedLength = length + Ipv6Tunnel.OUTER_LENGTH;
        }
        else if (mode == ForwardingMode.NAT)
        {
            translateToReal(buffer, vip, real, nowNs, idleTimeoutNs);
        }
        else
        {
            p.ethernet.destinationMac(real.mac()).sourceMac(p.egressMac);
            ipv6.decrementHopLimit();
        }
        p.forwardedL4Offset = p.parsedL4Offset;
        p.forwardedL4Length = p.parsedL4Length;
        p.forwardedProtocol = protocol;

        final int workerIndex = p.workerIndex;
        vip.packetsByWorker()[workerIndex].incrementRelease();
        vip.bytesByWorker()[workerIndex].getAndAddRelease(length);
        real.packetsByWorker()[workerIndex].incrementRelease();
        real.bytesByWorker()[workerIndex].getAndAddRelease(length);
        return PacketProcessor.FORWARD;
    }

    /** NAT, client to real, as {@link PacketProcessor}'s: the VIP is remembered by its id. */
    private void translateToReal(
        final MutableDirectBuffer buffer, final VipEntry vip, final RealEntry real, final long nowNs, final long idleTimeoutNs)
    {
        final PacketProcessor p = processor;
        final Ipv6Flyweight ipv6 = this.ipv6;
        final long closing = (p.flowValue & TcpClosing.FLAGS) | TcpClosing.of(p.parsedTcpFlags);
        final long timeoutNs = TcpClosing.timeoutNs(closing, idleTimeoutNs);
        if (closing != 0)
        {
            p.flows.renew((p.flowValue & ~TcpClosing.FLAGS) | closing, nowNs, timeoutNs);
        }
        final long clientHigh = ipv6.sourceHigh();
        final long clientLow = ipv6.sourceLow();
        final long clientMac = p.ethernet.sourceMac();
        final IpAddress address = real.address();
        p.ethernet.destinationMac(real.mac()).sourceMac(p.egressMac);
        NatRewrite.destination6(buffer, ipv6, p.parsedL4Offset, p.parsedProtocol, address.high(), address.low(), real.port());
        ipv6.decrementHopLimit();
        p.nat.remember(
            FlowHash.key0Ipv6(address.high(), address.low(), clientHigh, clientLow),
            FlowHash.key1(real.port(), p.parsedSourcePort, p.parsedProtocol) | FlowHash.IPV6,
            NatFlows.value(vip.id(), vip.spec().key().port(), closing), clientMac, nowNs, timeoutNs);
    }

    /** NAT, real to client: the source becomes the VIP's address (found by the id the flow kept) and port. */
    private int translateReply(
        final MutableDirectBuffer buffer, final ForwardingTable table, final long nowNs, final long idleTimeoutNs)
    {
        final PacketProcessor p = processor;
        final Ipv6Flyweight ipv6 = this.ipv6;
        long value = p.nat.find(key0(), key1(), nowNs, idleTimeoutNs);
        final VipEntry vip = value == FlowTable.MISSING ? null : table.vipById(NatFlows.vipAddress(value));
        if (vip == null)
        {
            return p.drop(NAT_NO_FLOW);
        }
        if (ipv6.hopLimit() <= 1)
        {
            return p.drop(TTL_EXPIRED);
        }
        p.finishPartialChecksum(buffer);
        final long closing = TcpClosing.of(p.parsedTcpFlags);
        if (closing != 0)
        {
            value |= closing;
            p.nat.renew(value, nowNs, TcpClosing.timeoutNs(value & TcpClosing.FLAGS, idleTimeoutNs));
        }
        final IpAddress vipAddress = vip.spec().key().address();
        p.ethernet.destinationMac(p.nat.clientMac()).sourceMac(p.localMac);
        NatRewrite.source6(buffer, ipv6, p.parsedL4Offset, p.parsedProtocol, vipAddress.high(), vipAddress.low(),
            NatFlows.vipPort(value));
        ipv6.decrementHopLimit();
        p.forwardedL4Offset = p.parsedL4Offset;
        p.forwardedL4Length = p.parsedL4Length;
        p.forwardedProtocol = p.parsedProtocol;
        p.forwardedToClient = true;
        p.counters.natReplies.incrementRelease();
        return PacketProcessor.FORWARD;
    }

    /**
     * ICMPv6 to a VIP address: echo requests answered, errors about a VIP's flow relayed to its
     * real; from a NAT real, errors to clients translated back; anything else dropped and counted
     * (neighbour discovery never gets here on AF_XDP: the steering program leaves it to the kernel).
     */
    private int handleIcmp(final MutableDirectBuffer buffer, final ForwardingTable table, final long nowNs)
    {
        final PacketProcessor p = processor;
        final Ipv6Flyweight ipv6 = this.ipv6;
        final int type = buffer.getByte(p.parsedL4Offset) & 0xFF;
        final boolean error = type == ICMPV6_DESTINATION_UNREACHABLE || type == ICMPV6_PACKET_TOO_BIG ||
            type == ICMPV6_TIME_EXCEEDED;
        if (!table.hasAddress6(ipv6.destinationHigh(), ipv6.destinationLow()))
        {
            if (error && table.isNatSource6(ipv6.sourceHigh(), ipv6.sourceLow(), 0, IP_PROTOCOL_ICMPV6))
            {
                return translateErrorFromReal(buffer, table, nowNs);
            }
            return p.drop(NOT_A_VIP);
        }
        if (error)
        {
            return relayError(buffer, table, nowNs);
        }
        final int refused = Icmpv6EchoResponder.answer(p.ethernet, ipv6, p.localMac, buffer, p.parsedL4Offset, p.parsedL4Length);
        if (refused != 0)
        {
            return p.drop(refused);
        }
        p.forwardedProtocol = IP_PROTOCOL_ICMPV6;
        p.forwardedToClient = true;
        p.counters.icmpEchoReplies.incrementRelease();
        return PacketProcessor.FORWARD;
    }

    /**
     * Where the packet an ICMPv6 error quotes starts, when the quote holds its whole IPv6 header
     * with TCP or UDP next (no extension headers) and the 4 bytes of ports; else -1.
     */
    private int quoted(final MutableDirectBuffer buffer)
    {
        final int quoted = processor.parsedL4Offset + ICMPV6_HEADER_LENGTH;
        final int available = processor.parsedL4Length - ICMPV6_HEADER_LENGTH;
        if (available < IPV6_HEADER_LENGTH + 4 || ((buffer.getByte(quoted) >>> 4) & 0x0F) != IPV6_VERSION)
        {
            return -1;
        }
        final int protocol = quote.wrap(buffer, quoted, available).nextHeader();
        return protocol == IP_PROTOCOL_TCP || protocol == IP_PROTOCOL_UDP ? quoted : -1;
    }

    /**
     * An error about a VIP's flow (the quote is the VIP's packet to the client) goes to the real
     * the flow is on, found as {@link PacketProcessor}'s IPv4 relay finds it; for NAT the error
     * goes to the real's address and the quote is translated back to what the real sent.
     */
    private int relayError(final MutableDirectBuffer buffer, final ForwardingTable table, final long nowNs)
    {
        final PacketProcessor p = processor;
        final int quoted = quoted(buffer);
        if (quoted < 0)
        {
            return p.drop(ICMP_NO_FLOW);
        }
        final Ipv6Flyweight quote = this.quote;
        final int protocol = quote.nextHeader();
        final long vipHigh = quote.sourceHigh();
        final long vipLow = quote.sourceLow();
        final long clientHigh = quote.destinationHigh();
        final long clientLow = quote.destinationLow();
        final int vipPort = quotedPort(buffer, quoted, 0);
        final int clientPort = quotedPort(buffer, quoted, 2);
        final VipEntry vip = table.find6(vipHigh, vipLow, vipPort, protocol);
        if (null == vip)
        {
            return p.drop(ICMP_NO_FLOW);
        }
        final long key0 = FlowHash.key0Ipv6(clientHigh, clientLow, vipHigh, vipLow);
        final long key1 = FlowHash.key1(clientPort, vipPort, protocol) | FlowHash.IPV6;
        final int hash = FlowHash.hash(key0, key1);
        final long timeoutNs = PacketProcessor.idleTimeoutNs(protocol);
        final long remembered = p.flows.lookup(key0, key1, hash, nowNs, timeoutNs);
        int index = remembered == FlowTable.MISSING ? -1 : vip.realIndexOf((int)remembered);
        final int[] maglev = vip.maglev();
        if (index < 0 && vip.scheduler() != ROUND_ROBIN && maglev.length > 0)
        {
            final int key = vip.scheduler() == SOURCE_HASH ? FlowHash.sourceHash6(clientHigh, clientLow) : hash;
            index = maglev[Integer.remainderUnsigned(key, maglev.length)];
        }
        if (index < 0 || !vip.reals()[index].healthy())
        {
            return p.drop(ICMP_NO_FLOW);
        }
        final RealEntry real = vip.reals()[index];
        if (!real.macResolved())
        {
            return p.drop(NO_NEXT_HOP);
        }
        if (ipv6.hopLimit() <= 1)
        {
            return p.drop(TTL_EXPIRED);
        }
        p.ethernet.destinationMac(real.mac()).sourceMac(p.egressMac);
        if (vip.spec().mode() == ForwardingMode.NAT)
        {
            final IpAddress address = real.address();
            rewriteQuoted(buffer, quoted, Ipv6Flyweight.SOURCE_OFFSET, address.high(), address.low(), 0, real.port());
            ipv6.destination(address.high(), address.low());
            Icmpv6EchoResponder.writeChecksum(ipv6, buffer, p.parsedL4Offset, p.parsedL4Length);
        }
        ipv6.decrementHopLimit();
        p.forwardedProtocol = IP_PROTOCOL_ICMPV6;
        p.counters.icmpErrorsRelayed.incrementRelease();
        return PacketProcessor.FORWARD;
    }

    /**
     * NAT: an error a real sends a client quotes the client's packet as the real got it; it
     * leaves from the VIP with the quote translated back to the VIP, to the MAC the client's
     * packets came from.
     */
    private int translateErrorFromReal(final MutableDirectBuffer buffer, final ForwardingTable table, final long nowNs)
    {
        final PacketProcessor p = processor;
        final int quoted = quoted(buffer);
        if (quoted < 0)
        {
            return p.drop(ICMP_NO_FLOW);
        }
        final Ipv6Flyweight quote = this.quote;
        final int protocol = quote.nextHeader();
        final long clientHigh = quote.sourceHigh();
        final long clientLow = quote.sourceLow();
        final long realHigh = quote.destinationHigh();
        final long realLow = quote.destinationLow();
        final int clientPort = quotedPort(buffer, quoted, 0);
        final int realPort = quotedPort(buffer, quoted, 2);
        final long timeoutNs = PacketProcessor.idleTimeoutNs(protocol);
        final long value = p.nat.find(FlowHash.key0Ipv6(realHigh, realLow, clientHigh, clientLow),
            FlowHash.key1(realPort, clientPort, protocol) | FlowHash.IPV6, nowNs, timeoutNs);
        final VipEntry vip = value == FlowTable.MISSING ? null : table.vipById(NatFlows.vipAddress(value));
        if (vip == null || clientHigh != ipv6.destinationHigh() || clientLow != ipv6.destinationLow())
        {
            return p.drop(ICMP_NO_FLOW);
        }
        if (ipv6.hopLimit() <= 1)
        {
            return p.drop(TTL_EXPIRED);
        }
        final IpAddress vipAddress = vip.spec().key().address();
        rewriteQuoted(buffer, quoted, Ipv6Flyweight.DESTINATION_OFFSET, vipAddress.high(), vipAddress.low(), 2,
            NatFlows.vipPort(value));
        ipv6.source(vipAddress.high(), vipAddress.low());
        Icmpv6EchoResponder.writeChecksum(ipv6, buffer, p.parsedL4Offset, p.parsedL4Length);
        p.ethernet.destinationMac(p.nat.clientMac()).sourceMac(p.localMac);
        ipv6.decrementHopLimit();
        p.forwardedProtocol = IP_PROTOCOL_ICMPV6;
        p.forwardedToClient = true;
        p.counters.icmpErrorsRelayed.incrementRelease();
        return PacketProcessor.FORWARD;
    }

    /** @param at 0 for the quoted packet's source port, 2 for its destination port. */
    private static int quotedPort(final MutableDirectBuffer buffer, final int quoted, final int at)
    {
        return buffer.getShort(quoted + IPV6_HEADER_LENGTH + at, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Rewrites one address of the quoted IPv6 header and the matching port after it, and the
     * quoted TCP or UDP checksum when the quote reaches it, so the quote is the packet as its
     * sender sent it; the ICMPv6 checksum is the caller's to compute again.
     *
     * @param addressAt {@link Ipv6Flyweight#SOURCE_OFFSET} or {@link Ipv6Flyweight#DESTINATION_OFFSET}.
     * @param portAt    0 (source port) or 2 (destination port), from the quoted transport header.
     */
    private void rewriteQuoted(
        final MutableDirectBuffer buffer, final int quoted, final int addressAt, final long high, final long low,
        final int portAt, final int port)
    {
        final int l4 = quoted + IPV6_HEADER_LENGTH;
        final long oldHigh = buffer.getLong(quoted + addressAt, BIG_ENDIAN);
        final long oldLow = buffer.getLong(quoted + addressAt + 8, BIG_ENDIAN);
        final int oldPort = buffer.getShort(l4 + portAt, BIG_ENDIAN) & 0xFFFF;
        buffer.putLong(quoted + addressAt, high, BIG_ENDIAN);
        buffer.putLong(quoted + addressAt + 8, low, BIG_ENDIAN);
        buffer.putShort(l4 + portAt, (short)port, BIG_ENDIAN);

        final boolean tcp = quote.nextHeader() == IP_PROTOCOL_TCP;
        final int checksumAt = l4 + (tcp ? 16 : 6);
        final int quoteEnd = processor.parsedL4Offset + processor.parsedL4Length;
        if (checksumAt + 2 <= quoteEnd)
        {
            final int checksum = buffer.getShort(checksumAt, BIG_ENDIAN) & 0xFFFF;
            final int patched = Checksums.update16(Checksums.update128(checksum, oldHigh, oldLow, high, low), oldPort, port);
            buffer.putShort(checksumAt, (short)(!tcp && patched == 0 ? 0xFFFF : patched), BIG_ENDIAN);
        }
    }
}
