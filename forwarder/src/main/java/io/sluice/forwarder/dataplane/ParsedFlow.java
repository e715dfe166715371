package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.packet.EthernetFlyweight;
import io.sluice.forwarder.packet.Ipv4Flyweight;
import io.sluice.forwarder.packet.Ipv6Flyweight;
import io.sluice.forwarder.table.ForwardingTable;
import io.sluice.forwarder.table.VipEntry;

import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_ICMP;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_ICMPV6;

/**
 * The flow of one parsed frame, IPv4 or IPv6 alike (Katran's {@code flow_key}): the family, both
 * addresses, the ports, the protocol and where the transport header is. {@link FrameParser} fills
 * it; every later stage reads it and never asks which family it holds, except through the few
 * methods here that read or write the IP header itself (hop limit, addresses, pseudo-header).
 *
 * <p>An address is two longs, the 16 bytes of an IPv6 address read big-endian; an IPv4 address
 * is held IPv4-mapped, as {@link io.sluice.forwarder.config.IpAddress} holds it, so a real's or a
 * VIP's configured address is written into a frame as it is, and {@code (int)low} is the IPv4
 * address. The addresses are read once, by the parse, and kept in step with every rewrite, so the
 * flow key, the pseudo-header sum and the table lookups never read the header again.
 *
 * <p>Also the quote of an ICMP error ({@link FrameParser#parseQuote}): its flyweights are then
 * wrapped around the quoted header, and its transport length is what the quote holds of it.
 * Owned by one worker thread; nothing here allocates.
 */
final class ParsedFlow
{
    /** The high bits of an IPv4-mapped address's low long ({@code ::ffff:0:0/96}). */
    static final long IPV4_MAPPED = 0xFFFF_0000_0000L;
    private static final int ICMP_DESTINATION_UNREACHABLE = 3;
    private static final int ICMP_TIME_EXCEEDED = 11;
    private static final int ICMPV6_DESTINATION_UNREACHABLE = 1;
    private static final int ICMPV6_PACKET_TOO_BIG = 2;
    private static final int ICMPV6_TIME_EXCEEDED = 3;

    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final Ipv6Flyweight ipv6Header = new Ipv6Flyweight();
    private boolean ipv6;
    private int protocol;
    private int ipOffset;
    private int l4Offset;
    private int l4Length;
    private int sourcePort;
    private int destinationPort;
    private int tcpFlags;
    private long sourceHigh;
    private long sourceLow;
    private long destinationHigh;
    private long destinationLow;

    EthernetFlyweight ethernet()
    {
        return ethernet;
    }

    Ipv4Flyweight ipv4Header()
    {
        return ipv4;
    }

    Ipv6Flyweight ipv6Header()
    {
        return ipv6Header;
    }

    /** Takes the IPv4 header the parser wrapped and checked: its addresses and where its payload is. */
    void ipv4(final int protocol, final int l4Offset, final int l4Length)
    {
        final Ipv4Flyweight ipv4 = this.ipv4;
        this.ipv6 = false;
        this.ipOffset = ipv4.offset();
        this.sourceHigh = 0L;
        this.sourceLow = IPV4_MAPPED | (ipv4.sourceAddress() & 0xFFFF_FFFFL);
        this.destinationHigh = 0L;
        this.destinationLow = IPV4_MAPPED | (ipv4.destinationAddress() & 0xFFFF_FFFFL);
        payload(protocol, l4Offset, l4Length);
    }

    /** Takes the IPv6 header the parser wrapped and checked. */
    void ipv6(final int protocol, final int l4Offset, final int l4Length)
    {
        final Ipv6Flyweight ipv6Header = this.ipv6Header;
        this.ipv6 = true;
        this.ipOffset = ipv6Header.offset();
        this.sourceHigh = ipv6Header.sourceHigh();
        this.sourceLow = ipv6Header.sourceLow();
        this.destinationHigh = ipv6Header.destinationHigh();
        this.destinationLow = ipv6Header.destinationLow();
        payload(protocol, l4Offset, l4Length);
    }

    private void payload(final int protocol, final int l4Offset, final int l4Length)
    {
        this.protocol = protocol;
        this.l4Offset = l4Offset;
        this.l4Length = l4Length;
    }

    /** The ports (0 for ICMP) and TCP flags (0 for anything else) the parser read. */
    void transport(final int sourcePort, final int destinationPort, final int tcpFlags)
    {
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.tcpFlags = tcpFlags;
    }

    boolean ipv6()
    {
        return ipv6;
    }

    int protocol()
    {
        return protocol;
    }

    /** Whether it is ICMP of its family (ICMPv6 for IPv6). */
    boolean isIcmp()
    {
        return protocol == (ipv6 ? IP_PROTOCOL_ICMPV6 : IP_PROTOCOL_ICMP);
    }

    /** Whether an ICMP message of this type (of the flow's family) is an error about another packet. */
    boolean isIcmpError(final int type)
    {
        return ipv6 ? type == ICMPV6_DESTINATION_UNREACHABLE || type == ICMPV6_PACKET_TOO_BIG || type == ICMPV6_TIME_EXCEEDED :
            type == ICMP_DESTINATION_UNREACHABLE || type == ICMP_TIME_EXCEEDED;
    }

    int ipOffset()
    {
        return ipOffset;
    }

    int l4Offset()
    {
        return l4Offset;
    }

    int l4Length()
    {
        return l4Length;
    }

    /** The IP packet's length, its header included (IPv4's total length; 40 and the payload for IPv6). */
    int ipLength()
    {
        return l4Offset + l4Length - ipOffset;
    }

    int sourcePort()
    {
        return sourcePort;
    }

    int destinationPort()
    {
        return destinationPort;
    }

    int tcpFlags()
    {
        return tcpFlags;
    }

    long sourceHigh()
    {
        return sourceHigh;
    }

    long sourceLow()
    {
        return sourceLow;
    }

    long destinationHigh()
    {
        return destinationHigh;
    }

    long destinationLow()
    {
        return destinationLow;
    }

    long key0()
    {
        return IpFamily.key0(ipv6, sourceHigh, sourceLow, destinationHigh, destinationLow);
    }

    long key1()
    {
        return IpFamily.key1(ipv6, sourcePort, destinationPort, protocol);
    }

    /** The VIP the flow is sent to, or null. */
    VipEntry vip(final ForwardingTable table)
    {
        return IpFamily.vip(table, ipv6, destinationHigh, destinationLow, destinationPort, protocol);
    }

    /** Whether the flow comes from a NAT VIP's real (its port 0 and ICMP: any of that real's ICMP errors). */
    boolean fromNatReal(final ForwardingTable table)
    {
        return ipv6 ? table.isNatSource6(sourceHigh, sourceLow, sourcePort, protocol) :
            table.isNatSource((int)sourceLow, sourcePort, protocol);
    }

    /** Whether the destination is some VIP's address, whatever its port and protocol. */
    boolean toVipAddress(final ForwardingTable table)
    {
        return ipv6 ? table.hasAddress6(destinationHigh, destinationLow) : table.hasAddress((int)destinationLow);
    }

    /** The TTL, or the hop limit of IPv6. */
    int hopLimit()
    {
        return ipv6 ? ipv6Header.hopLimit() : ipv4.ttl();
    }

    /** One hop less, as a router takes it (IPv4's header checksum patched). */
    void decrementHopLimit()
    {
        if (ipv6)
        {
            ipv6Header.decrementHopLimit();
        }
        else
        {
            ipv4.decrementTtl();
        }
    }

    /** IPv4's "don't fragment" (IPv6 routers never fragment: always true there). */
    boolean dontFragment()
    {
        return ipv6 || ipv4.dontFragment();
    }

    /** Rewrites the source address (IPv4's header checksum patched); the transport checksum is the caller's. */
    void source(final long high, final long low)
    {
        if (ipv6)
        {
            ipv6Header.source(high, low);
        }
        else
        {
            ipv4.sourceAddress((int)low);
        }
        sourceHigh = high;
        sourceLow = low;
    }

    /** {@link #source} for the destination address. */
    void destination(final long high, final long low)
    {
        if (ipv6)
        {
            ipv6Header.destination(high, low);
        }
        else
        {
            ipv4.destinationAddress((int)low);
        }
        destinationHigh = high;
        destinationLow = low;
    }

    /**
     * Makes the packet one this host sends back to the source: addresses swapped and a fresh hop
     * limit (IPv4's header checksum computed again).
     */
    void turnAround(final int hopLimit)
    {
        final long clientHigh = sourceHigh;
        final long clientLow = sourceLow;
        source(destinationHigh, destinationLow);
        destination(clientHigh, clientLow);
        if (ipv6)
        {
            ipv6Header.hopLimit(hopLimit);
        }
        else
        {
            ipv4.ttl(hopLimit);
            ipv4.checksum(ipv4.computeChecksum());
        }
    }

    /**
     * The pseudo-header sum (not folded) of the transport checksum, over the addresses the packet
     * carries now: from the address words already held, no read of the header.
     */
    long pseudoHeaderSum()
    {
        return pseudoHeaderSum(protocol);
    }

    /** The pseudo-header sum an ICMP checksum starts from: ICMPv6's covers one, IPv4's ICMP's none. */
    long icmpPseudoHeaderSum()
    {
        return ipv6 ? pseudoHeaderSum(IP_PROTOCOL_ICMPV6) : 0L;
    }

    private long pseudoHeaderSum(final int nextHeader)
    {
        // 32-bit halves: their one's-complement sum folds to the same 16 bits as that of the 16-bit words.
        final long addresses = ipv6 ?
            (sourceHigh >>> 32) + (sourceHigh & 0xFFFF_FFFFL) + (sourceLow >>> 32) + (sourceLow & 0xFFFF_FFFFL) +
            (destinationHigh >>> 32) + (destinationHigh & 0xFFFF_FFFFL) + (destinationLow >>> 32) +
            (destinationLow & 0xFFFF_FFFFL) :
            (sourceLow & 0xFFFF_FFFFL) + (destinationLow & 0xFFFF_FFFFL);
        return addresses + nextHeader + l4Length;
    }
}
