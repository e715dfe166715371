package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.packet.Ipv6Flyweight;
import org.agrona.MutableDirectBuffer;

import static io.sluice.forwarder.packet.PacketConstants.IPV6_HEADER_LENGTH;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_ICMPV6;
import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_IPV6;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * {@link Ipv4Tunnel} for IPv6: IPv6-in-IPv6 encapsulation (RFC 2473, next header 41) and the
 * ICMPv6 "packet too big" (RFC 4443 3.2) a client must get when its packet would no longer fit
 * the link once encapsulated. IPv6 routers never fragment, so every such packet is answered,
 * whatever its flags.
 *
 * <p>Both move the frame's start back (40 bytes to encapsulate, 48 to answer), writing the new
 * headers in the frame's headroom, so the packet itself is never copied. Nothing here allocates.
 */
final class Ipv6Tunnel
{
    static final int OUTER_LENGTH = IPV6_HEADER_LENGTH;
    static final int OUTER_HOP_LIMIT = 64;
    static final int PACKET_TOO_BIG = 2;
    static final int ICMPV6_HEADER_LENGTH = 8;
    /** How far {@link #packetTooBig} moves the frame's start back: a new IPv6 header and the ICMPv6 header. */
    static final int TOO_BIG_GROWTH = IPV6_HEADER_LENGTH + ICMPV6_HEADER_LENGTH;
    /** An ICMPv6 error must fit the IPv6 minimum MTU, so the quote is cut to what fits (RFC 4443 2.4 c). */
    static final int MINIMUM_MTU = 1280;
    private static final int FLOW_LABEL_MASK = 0xF_FFFF;

    private final Ipv6Flyweight reply = new Ipv6Flyweight();
    private int replyLength;

    /**
     * @param ethernetLength the Ethernet header's length (14, plus 4 per VLAN tag).
     * @param flowHash       the flow's hash: the outer flow label, so routers' ECMP and the
     *                       receiver's RSS, which hash IPv6 by it, keep a flow together.
     * @return the frame's new start ({@code offset - 40}); its length grew by 40.
     */
    static int encapsulate(final MutableDirectBuffer buffer, final int offset, final int ethernetLength,
        final long sourceHigh, final long sourceLow, final long destinationHigh, final long destinationLow, final int flowHash)
    {
        final int start = offset - OUTER_LENGTH;
        buffer.putBytes(start, buffer, offset, ethernetLength); // towards lower addresses: safe
        final int outer = start + ethernetLength;
        final int inner = offset + ethernetLength;
        final int innerPayload = buffer.getShort(inner + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final int trafficClass = (buffer.getInt(inner, BIG_ENDIAN) >>> 20) & 0xFF;
        buffer.putInt(outer, (6 << 28) | (trafficClass << 20) | (flowHash & FLOW_LABEL_MASK), BIG_ENDIAN);
        buffer.putShort(outer + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, (short)(innerPayload + IPV6_HEADER_LENGTH), BIG_ENDIAN);
        buffer.putByte(outer + Ipv6Flyweight.NEXT_HEADER_OFFSET, (byte)IP_PROTOCOL_IPV6);
        buffer.putByte(outer + Ipv6Flyweight.HOP_LIMIT_OFFSET, (byte)OUTER_HOP_LIMIT);
        buffer.putLong(outer + Ipv6Flyweight.SOURCE_OFFSET, sourceHigh, BIG_ENDIAN);
        buffer.putLong(outer + Ipv6Flyweight.SOURCE_OFFSET + 8, sourceLow, BIG_ENDIAN);
        buffer.putLong(outer + Ipv6Flyweight.DESTINATION_OFFSET, destinationHigh, BIG_ENDIAN);
        buffer.putLong(outer + Ipv6Flyweight.DESTINATION_OFFSET + 8, destinationLow, BIG_ENDIAN);
        return start;
    }

    /**
     * Rewrites the frame into the "packet too big" for its sender: back to the sender's MAC, from
     * the VIP it was sent to, quoting the packet from its IPv6 header (cut so the error fits 1280
     * bytes), with the MTU the sender should use. The quote stays where it is; the new headers go
     * in the 48 bytes before it.
     *
     * @param ipLength the packet's length from its IPv6 header.
     * @return the reply's start ({@code offset - 48}); {@link #replyLength} is its length.
     */
    int packetTooBig(final MutableDirectBuffer buffer, final int offset, final int ethernetLength, final int ipLength,
        final long localMac, final int mtu)
    {
        final int start = offset - TOO_BIG_GROWTH;
        final int quoted = offset + ethernetLength;
        buffer.putBytes(start, buffer, offset, ethernetLength);
        // The new frame's MACs: to the sender, from us (the old source MAC is the new destination).
        buffer.putBytes(start, buffer, offset + 6, 6);
        buffer.putInt(start + 6, (int)(localMac >>> 16), BIG_ENDIAN);
        buffer.putShort(start + 10, (short)localMac, BIG_ENDIAN);

        final int quoteLength = Math.min(ipLength, MINIMUM_MTU - TOO_BIG_GROWTH);
        final int icmpLength = ICMPV6_HEADER_LENGTH + quoteLength;
        final int ip = start + ethernetLength;
        final Ipv6Flyweight reply = this.reply.wrap(buffer, ip, IPV6_HEADER_LENGTH);
        buffer.putInt(ip, 6 << 28, BIG_ENDIAN);
        buffer.putShort(ip + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, (short)icmpLength, BIG_ENDIAN);
        buffer.putByte(ip + Ipv6Flyweight.NEXT_HEADER_OFFSET, (byte)IP_PROTOCOL_ICMPV6);
        reply.hopLimit(OUTER_HOP_LIMIT);
        buffer.putBytes(ip + Ipv6Flyweight.SOURCE_OFFSET, buffer, quoted + Ipv6Flyweight.DESTINATION_OFFSET, 16);
        buffer.putBytes(ip + Ipv6Flyweight.DESTINATION_OFFSET, buffer, quoted + Ipv6Flyweight.SOURCE_OFFSET, 16);
        final int icmp = ip + IPV6_HEADER_LENGTH;
        buffer.putByte(icmp, (byte)PACKET_TOO_BIG);
        buffer.putByte(icmp + 1, (byte)0);
        buffer.putInt(icmp + 4, mtu, BIG_ENDIAN);
        L4Checksums.writeIcmp(buffer, icmp, icmpLength, reply.pseudoHeaderSum(icmpLength, IP_PROTOCOL_ICMPV6));
        replyLength = ethernetLength + IPV6_HEADER_LENGTH + icmpLength;
        return start;
    }

    /** The length of the frame {@link #packetTooBig} last wrote. */
    int replyLength()
    {
        return replyLength;
    }
}
