package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.packet.EthernetFlyweight;
import io.sluice.forwarder.packet.Ipv4Flyweight;
import io.sluice.forwarder.packet.Ipv6Flyweight;
import org.agrona.MutableDirectBuffer;

import static io.sluice.forwarder.packet.PacketConstants.ETHER_TYPE_IPV4;
import static io.sluice.forwarder.packet.PacketConstants.ETHER_TYPE_IPV6;
import static io.sluice.forwarder.packet.PacketConstants.IPV4_MIN_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.IPV4_MIN_IHL;
import static io.sluice.forwarder.packet.PacketConstants.IPV4_VERSION;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_DESTINATION_OPTIONS;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_FRAGMENT;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_HOP_BY_HOP;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_ROUTING;
import static io.sluice.forwarder.packet.PacketConstants.IPV6_VERSION;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_TCP;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_UDP;
import static io.sluice.forwarder.packet.PacketConstants.TCP_MIN_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.UDP_HEADER_LENGTH;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The pipeline's first stage: parses a frame in place into a {@link ParsedFlow}, Ethernet (VLAN
 * tags looked through), the IPv4 or IPv6 header, then the TCP or UDP ports or the ICMP header,
 * checking every length before reading. Only the IP header parse is per family. Also parses the
 * packet an ICMP error quotes into a flow of its own, for the ICMP relay.
 *
 * <p>A frame the forwarder cannot handle completely is refused with its {@link DropReason}:
 * fragments (later ones carry no ports to hash), IPv4 options and IPv6 extension headers, which
 * it does not understand. Stateless; nothing here allocates.
 */
final class FrameParser
{
    /** What {@link #parse} returns for a frame it parsed; 0 is no drop reason's code. */
    static final int PARSED = 0;
    private static final int TCP_FLAGS_OFFSET = 13;
    /** ICMP's and ICMPv6's header: type, code, checksum and four bytes that depend on the type. */
    static final int ICMP_HEADER_LENGTH = 8;
    /** The quote of an ICMP error must reach the quoted packet's two ports. */
    private static final int QUOTED_PORTS_LENGTH = 4;
    private static final int TRUNCATED = DropReason.TRUNCATED.code();
    private static final int NOT_IP = DropReason.NOT_IP.code();
    private static final int BAD_IPV4_HEADER = DropReason.BAD_IPV4_HEADER.code();
    private static final int BAD_IPV6_HEADER = DropReason.BAD_IPV6_HEADER.code();
    private static final int IP_OPTIONS = DropReason.IP_OPTIONS.code();
    private static final int FRAGMENT = DropReason.FRAGMENT.code();
    private static final int UNSUPPORTED_PROTOCOL = DropReason.UNSUPPORTED_PROTOCOL.code();

    private FrameParser()
    {
    }

    /**
     * @return {@link #PARSED}, the flow filled and its flyweights wrapped, or the {@link DropReason}
     *         code (not yet counted) of why the frame cannot be forwarded.
     */
    static int parse(final MutableDirectBuffer buffer, final int offset, final int length, final ParsedFlow flow)
    {
        final EthernetFlyweight ethernet = flow.ethernet().wrap(buffer, offset, length);
        final int ethernetHeaderLength = ethernet.headerLength();
        if (ethernetHeaderLength < 0)
        {
            return TRUNCATED;
        }
        final int etherType = ethernet.etherType();
        final int ipOffset = offset + ethernetHeaderLength;
        final int ipAvailable = length - ethernetHeaderLength;
        final int parsed = etherType == ETHER_TYPE_IPV4 ? ipv4(buffer, ipOffset, ipAvailable, flow) :
            etherType == ETHER_TYPE_IPV6 ? ipv6(buffer, ipOffset, ipAvailable, flow) : NOT_IP;
        return parsed != PARSED ? parsed : transport(buffer, flow);
    }

    private static int ipv4(final MutableDirectBuffer buffer, final int ipOffset, final int ipAvailable, final ParsedFlow flow)
    {
        if (ipAvailable < IPV4_MIN_HEADER_LENGTH)
        {
            return TRUNCATED;
        }
        final Ipv4Flyweight ipv4 = flow.ipv4Header().wrap(buffer, ipOffset, ipAvailable);
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
        flow.ipv4(ipv4.protocol(), ipOffset + ipHeaderLength, totalLength - ipHeaderLength);
        return PARSED;
    }

    private static int ipv6(final MutableDirectBuffer buffer, final int ipOffset, final int ipAvailable, final ParsedFlow flow)
    {
        if (ipAvailable < IPV6_HEADER_LENGTH)
        {
            return TRUNCATED;
        }
        final Ipv6Flyweight ipv6 = flow.ipv6Header().wrap(buffer, ipOffset, ipAvailable);
        final int payloadLength = ipv6.payloadLength();
        if (ipv6.version() != IPV6_VERSION || payloadLength > ipAvailable - IPV6_HEADER_LENGTH)
        {
            return BAD_IPV6_HEADER;
        }
        final int nextHeader = ipv6.nextHeader();
        if (nextHeader == IPV6_FRAGMENT)
        {
            return FRAGMENT;
        }
        if (nextHeader == IPV6_HOP_BY_HOP || nextHeader == IPV6_ROUTING || nextHeader == IPV6_DESTINATION_OPTIONS)
        {
            return IP_OPTIONS;
        }
        flow.ipv6(nextHeader, ipOffset + IPV6_HEADER_LENGTH, payloadLength);
        return PARSED;
    }

    /** The ports and TCP flags of TCP or UDP, or the header length of ICMP; any other protocol is refused. */
    private static int transport(final MutableDirectBuffer buffer, final ParsedFlow flow)
    {
        final int protocol = flow.protocol();
        final int l4Offset = flow.l4Offset();
        final int l4Length = flow.l4Length();
        final boolean tcp = protocol == IP_PROTOCOL_TCP;
        if (tcp || protocol == IP_PROTOCOL_UDP)
        {
            if (l4Length < (tcp ? TCP_MIN_HEADER_LENGTH : UDP_HEADER_LENGTH))
            {
                return TRUNCATED;
            }
            flow.transport(port(buffer, l4Offset), port(buffer, l4Offset + 2),
                tcp ? buffer.getByte(l4Offset + TCP_FLAGS_OFFSET) & 0xFF : 0);
            return PARSED;
        }
        if (flow.isIcmp())
        {
            if (l4Length < ICMP_HEADER_LENGTH)
            {
                return TRUNCATED;
            }
            flow.transport(0, 0, 0);
            return PARSED;
        }
        return UNSUPPORTED_PROTOCOL;
    }

    /**
     * Parses the packet the ICMP error {@code icmp} quotes into {@code quote}: its IP header (of
     * the error's family, IPv4 options allowed, IPv6 extension headers not), TCP or UDP, and the
     * two ports after it. The quote's transport length is what the error holds of the segment.
     *
     * @return whether the quote holds all that.
     */
    static boolean parseQuote(final MutableDirectBuffer buffer, final ParsedFlow icmp, final ParsedFlow quote)
    {
        final int quoted = icmp.l4Offset() + ICMP_HEADER_LENGTH;
        final int available = icmp.l4Length() - ICMP_HEADER_LENGTH;
        final int headerLength;
        final int protocol;
        if (icmp.ipv6())
        {
            if (available < IPV6_HEADER_LENGTH + QUOTED_PORTS_LENGTH || ((buffer.getByte(quoted) >>> 4) & 0x0F) != IPV6_VERSION)
            {
                return false;
            }
            headerLength = IPV6_HEADER_LENGTH;
            protocol = quote.ipv6Header().wrap(buffer, quoted, available).nextHeader();
        }
        else
        {
            if (available < IPV4_MIN_HEADER_LENGTH + QUOTED_PORTS_LENGTH)
            {
                return false;
            }
            final Ipv4Flyweight ipv4 = quote.ipv4Header().wrap(buffer, quoted, available);
            headerLength = ipv4.headerLength();
            protocol = ipv4.protocol();
            if (ipv4.version() != IPV4_VERSION || headerLength < IPV4_MIN_HEADER_LENGTH ||
                available < headerLength + QUOTED_PORTS_LENGTH)
            {
                return false;
            }
        }
        if (protocol != IP_PROTOCOL_TCP && protocol != IP_PROTOCOL_UDP)
        {
            return false;
        }
        if (icmp.ipv6())
        {
            quote.ipv6(protocol, quoted + headerLength, available - headerLength);
        }
        else
        {
            quote.ipv4(protocol, quoted + headerLength, available - headerLength);
        }
        final int l4Offset = quoted + headerLength;
        quote.transport(port(buffer, l4Offset), port(buffer, l4Offset + 2), 0);
        return true;
    }

    private static int port(final MutableDirectBuffer buffer, final int at)
    {
        return buffer.getShort(at, BIG_ENDIAN) & 0xFFFF;
    }
}
