package io.sluice.linux.bpf;

import java.nio.ByteBuffer;

/**
 * Builds the frames a forwarder sends in GUE mode (sluice's format: outer IPv4, UDP to the GUE
 * port, a GUE header whose hlen words are sluice's private words "SC", next_hop, hop_count and
 * the hops) around a test's inner frame, and the IPv4/TCP frames to put inside.
 */
final class GueFrames
{
    static final int OUTER_SOURCE = 0xAC10_0001;
    static final int IPV4_INSIDE = 4;
    static final int IPV6_INSIDE = 41;
    static final int ACK = 0x10;
    static final int SYN = 0x02;
    /** Frame offsets in a GUE frame: outer destination, outer checksum, next_hop. */
    static final int OUTER_DESTINATION_OFFSET = 14 + 16;
    static final int OUTER_CHECKSUM_OFFSET = 14 + 10;
    static final int NEXT_HOP_OFFSET = 14 + 20 + 8 + 4 + 2;

    private static final long DST_MAC = 0x0200_c612_000bL;
    private static final long SRC_MAC = 0x0200_c612_0002L;

    private GueFrames()
    {
    }

    /**
     * The inner frame's IP packet in GUE to {@code real}: the inner frame's MACs, an outer IPv4
     * header with a correct checksum, UDP to {@code port} (checksum 0), GUE with hlen
     * 1 + hops.length, then the private words.
     */
    static byte[] gue(final byte[] inner, final int innerProtocol, final int real, final int port, final int nextHop,
        final int... hops)
    {
        final int privateLength = 4 * (1 + hops.length);
        final int udpLength = 8 + 4 + privateLength + inner.length - 14;
        final ByteBuffer frame = ByteBuffer.allocate(14 + 20 + udpLength)
            .put(inner, 0, 12).putShort((short)0x0800)
            .put((byte)0x45).put((byte)0).putShort((short)(20 + udpLength))
            .putShort((short)0x1234).putShort((short)0x4000)
            .put((byte)64).put((byte)17).putShort((short)0)
            .putInt(OUTER_SOURCE).putInt(real)
            .putShort((short)(0xC000 | 0x1234)).putShort((short)port).putShort((short)udpLength).putShort((short)0)
            .put((byte)(1 + hops.length)).put((byte)innerProtocol).putShort((short)0)
            .put((byte)0x53).put((byte)0x43).put((byte)nextHop).put((byte)hops.length);
        for (final int hop : hops)
        {
            frame.putInt(hop);
        }
        frame.put(inner, 14, inner.length - 14);
        frame.putShort(OUTER_CHECKSUM_OFFSET, ipv4Checksum(frame.array()));
        return frame.array();
    }

    /** An IPv4/TCP frame with a 20-byte TCP header and these flags (its TCP checksum is not computed). */
    static byte[] tcp(final int source, final int destination, final int sourcePort, final int destinationPort, final int flags,
        final byte[] payload)
    {
        final ByteBuffer frame = ByteBuffer.allocate(14 + 20 + 20 + payload.length)
            .putShort((short)(DST_MAC >>> 32)).putInt((int)DST_MAC)
            .putShort((short)(SRC_MAC >>> 32)).putInt((int)SRC_MAC)
            .putShort((short)0x0800)
            .put((byte)0x45).put((byte)0).putShort((short)(20 + 20 + payload.length))
            .putShort((short)0x4321).putShort((short)0x4000)
            .put((byte)64).put((byte)6).putShort((short)0)
            .putInt(source).putInt(destination)
            .putShort((short)sourcePort).putShort((short)destinationPort)
            .putInt(1000).putInt(2000)
            .put((byte)0x50).put((byte)flags).putShort((short)65535)
            .putInt(0)
            .put(payload);
        frame.putShort(OUTER_CHECKSUM_OFFSET, ipv4Checksum(frame.array()));
        return frame.array();
    }

    /** The checksum the IPv4 header after the frame's Ethernet header should carry (its own field counted as 0). */
    static short ipv4Checksum(final byte[] frame)
    {
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            if (14 + i != OUTER_CHECKSUM_OFFSET)
            {
                sum += (frame[14 + i] & 0xFF) << 8 | frame[15 + i] & 0xFF;
            }
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (short)~sum;
    }
}
