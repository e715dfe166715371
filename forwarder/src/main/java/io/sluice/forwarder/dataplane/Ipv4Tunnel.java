package io.sluice.forwarder.dataplane;

import io.sluice.forwarder.packet.Checksums;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The IPv4 rewrites of tunnel and gue modes, in place: the outer IPv4 header to the real in
 * front of the client's packet, which is left as it came (IPv4-in-IPv4, or UDP for gue, whose
 * UDP and GUE headers {@link GueHeader} writes between the two), and the ICMP "fragmentation
 * needed" a client must get when its packet, with DF set, would no longer fit the link once
 * encapsulated (path MTU discovery then shrinks the client's segments by the encapsulation's bytes).
 *
 * <p>Encapsulation moves the Ethernet header (tags included) towards the start of the buffer by
 * what it adds (20 bytes, 36 or 40 for gue) and writes the outer headers in the gap, so the frame
 * needs that much headroom: AF_XDP frames have 256, the AF_PACKET ring reserves 64. Nothing here
 * allocates.
 */
final class Ipv4Tunnel
{
    static final int OUTER_LENGTH = 20;
    static final int OUTER_TTL = 64;
    static final int ICMP_UNREACHABLE = 3;
    static final int ICMP_FRAGMENTATION_NEEDED = 4;
    /** The ICMP error quotes the packet's IPv4 header and its first 8 bytes (RFC 792). */
    static final int QUOTED_LENGTH = 20 + 8;
    private static final int DONT_FRAGMENT = 0x4000;

    /** Holds the quoted bytes while the ICMP error is written over them. */
    private final UnsafeBuffer quote = new UnsafeBuffer(new byte[QUOTED_LENGTH]);

    /**
     * @param ethernetLength the Ethernet header's length (14, plus 4 per VLAN tag).
     * @param growth         what the frame gains: this header's 20 bytes and whatever the caller
     *                       writes after it, before the client's packet.
     * @param protocol       the outer header's protocol: IPv4-in-IPv4 (4) or UDP (17).
     * @param dontFragment   the outer DF flag (tunnel mode copies the client's, gue always sets it).
     * @param source         the outer source: it varies with the flow so the receiver's RSS spreads flows.
     * @return the frame's new start ({@code offset - growth}); the outer IPv4 header follows its
     *         Ethernet header there.
     */
    static int encapsulate(final MutableDirectBuffer buffer, final int offset, final int ethernetLength, final int growth,
        final int protocol, final boolean dontFragment, final int source, final int destination)
    {
        final int start = offset - growth;
        buffer.putBytes(start, buffer, offset, ethernetLength); // forwards copy, towards lower addresses: safe
        final int outer = start + ethernetLength;
        final int inner = offset + ethernetLength;
        final int innerLength = buffer.getShort(inner + 2, BIG_ENDIAN) & 0xFFFF;
        buffer.putByte(outer, (byte)0x45);
        buffer.putByte(outer + 1, buffer.getByte(inner + 1)); // the client's TOS/DSCP
        buffer.putShort(outer + 2, (short)(innerLength + growth), BIG_ENDIAN);
        buffer.putShort(outer + 4, (short)0, BIG_ENDIAN);
        buffer.putShort(outer + 6, (short)(dontFragment ? DONT_FRAGMENT : 0), BIG_ENDIAN);
        buffer.putByte(outer + 8, (byte)OUTER_TTL);
        buffer.putByte(outer + 9, (byte)protocol);
        buffer.putShort(outer + 10, (short)0);
        buffer.putInt(outer + 12, source, BIG_ENDIAN);
        buffer.putInt(outer + 16, destination, BIG_ENDIAN);
        buffer.putShort(outer + 10, (short)Checksums.ipv4HeaderChecksum(buffer, outer, OUTER_LENGTH), BIG_ENDIAN);
        return start;
    }

    /**
     * Rewrites the frame into the ICMP error for its sender: from the VIP it was sent to, back to
     * the sender's MAC, quoting its IPv4 header and first 8 bytes, with the MTU the sender should
     * use.
     *
     * @return the reply's length from {@code offset}.
     */
    int fragmentationNeeded(final MutableDirectBuffer buffer, final int offset, final int ethernetLength,
        final long localMac, final int nextHopMtu)
    {
        final int ip = offset + ethernetLength;
        quote.putBytes(0, buffer, ip, QUOTED_LENGTH);
        final long clientMac = ((buffer.getInt(offset + 6, BIG_ENDIAN) & 0xFFFF_FFFFL) << 16) |
            (buffer.getShort(offset + 10, BIG_ENDIAN) & 0xFFFF);
        putMac(buffer, offset, clientMac);
        putMac(buffer, offset + 6, localMac);
        final int client = quote.getInt(12, BIG_ENDIAN);
        final int vip = quote.getInt(16, BIG_ENDIAN);
        final int icmpLength = 8 + QUOTED_LENGTH;
        buffer.putByte(ip, (byte)0x45);
        buffer.putByte(ip + 1, (byte)0);
        buffer.putShort(ip + 2, (short)(20 + icmpLength), BIG_ENDIAN);
        buffer.putShort(ip + 4, (short)0, BIG_ENDIAN);
        buffer.putShort(ip + 6, (short)DONT_FRAGMENT, BIG_ENDIAN);
        buffer.putByte(ip + 8, (byte)OUTER_TTL);
        buffer.putByte(ip + 9, (byte)1);
        buffer.putShort(ip + 10, (short)0);
        buffer.putInt(ip + 12, vip, BIG_ENDIAN);
        buffer.putInt(ip + 16, client, BIG_ENDIAN);
        buffer.putShort(ip + 10, (short)Checksums.ipv4HeaderChecksum(buffer, ip, 20), BIG_ENDIAN);
        final int icmp = ip + 20;
        buffer.putByte(icmp, (byte)ICMP_UNREACHABLE);
        buffer.putByte(icmp + 1, (byte)ICMP_FRAGMENTATION_NEEDED);
        buffer.putShort(icmp + 2, (short)0);
        buffer.putShort(icmp + 4, (short)0);
        buffer.putShort(icmp + 6, (short)nextHopMtu, BIG_ENDIAN);
        buffer.putBytes(icmp + 8, quote, 0, QUOTED_LENGTH);
        L4Checksums.writeIcmp(buffer, icmp, icmpLength, 0);
        return ethernetLength + 20 + icmpLength;
    }

    private static void putMac(final MutableDirectBuffer buffer, final int at, final long mac)
    {
        buffer.putInt(at, (int)(mac >>> 16), BIG_ENDIAN);
        buffer.putShort(at + 4, (short)mac, BIG_ENDIAN);
    }
}
