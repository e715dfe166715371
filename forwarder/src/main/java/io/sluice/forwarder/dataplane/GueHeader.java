package io.sluice.forwarder.dataplane;

import org.agrona.MutableDirectBuffer;

import static io.sluice.forwarder.packet.PacketConstants.IP_PROTOCOL_IPIP;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * What gue mode puts between the outer IPv4 header and the client's packet (the wire format
 * shared with {@code sluice decap}): a UDP header to the GUE port, a GUE header (version 0, no
 * flags, so the kernel's own fou/gue receive accepts it too and skips the optional words) and
 * sluice's private words, the hop list of GLB's "second chance":
 * <pre>
 *   0  UDP   source port 0xC000 | (flow hash &amp; 0x3FFF): RSS entropy for the real's NIC
 *   2        destination port: the GUE port (default 6080, GUE's IANA port)
 *   4        length: 8 + GUE header + inner packet
 *   6        checksum 0 (allowed for IPv4)
 *   8  GUE   byte 0: version 0, C 0, hlen = 1 + hop count (optional words of 32 bits)
 *   9        byte 1: the inner protocol, 4 (IPv4)
 *  10        flags 0
 *  12  word  magic 0x53 0x43 ("SC"), next hop 0, hop count
 *  16        hop count IPv4 addresses: the reals to try next, in order
 * </pre>
 * Nothing here allocates.
 */
final class GueHeader
{
    static final int UDP_LENGTH = 8;
    /** UDP, the GUE header and the private word before the hops: what every GUE frame adds after the outer IPv4 header. */
    static final int FIXED_LENGTH = UDP_LENGTH + 4 + 4;
    static final int HOP_LENGTH = 4;
    /** The private word's first two bytes, "SC". */
    static final int MAGIC = 0x5343;
    /** The top bits of the UDP source port, as the kernel's own encapsulation keeps it in the ephemeral range. */
    private static final int SOURCE_PORT_BASE = 0xC000;
    private static final int SOURCE_PORT_ENTROPY = 0x3FFF;

    private GueHeader()
    {
    }

    /** What a frame gains after its outer IPv4 header with this many hops. */
    static int length(final int hopCount)
    {
        return FIXED_LENGTH + HOP_LENGTH * hopCount;
    }

    /**
     * Writes the headers at {@code at}, just after an outer IPv4 header whose total length is
     * already final.
     *
     * @param hopCount 0 or 1: the forwarder sends at most the flow's one secondary.
     * @param hop      the hop's IPv4 address when {@code hopCount} is 1; ignored for 0.
     */
    static void write(final MutableDirectBuffer buffer, final int at, final int outerTotalLength, final int guePort,
        final int flowHash, final int hopCount, final int hop)
    {
        buffer.putShort(at, (short)(SOURCE_PORT_BASE | (flowHash & SOURCE_PORT_ENTROPY)), BIG_ENDIAN);
        buffer.putShort(at + 2, (short)guePort, BIG_ENDIAN);
        buffer.putShort(at + 4, (short)(outerTotalLength - Ipv4Tunnel.OUTER_LENGTH), BIG_ENDIAN);
        buffer.putShort(at + 6, (short)0);
        final int gue = at + UDP_LENGTH;
        buffer.putByte(gue, (byte)(1 + hopCount));
        buffer.putByte(gue + 1, (byte)IP_PROTOCOL_IPIP);
        buffer.putShort(gue + 2, (short)0);
        buffer.putInt(gue + 4, (MAGIC << 16) | hopCount, BIG_ENDIAN);
        if (hopCount == 1)
        {
            buffer.putInt(gue + 8, hop, BIG_ENDIAN);
        }
    }
}
